import { tool } from 'langchain';
import { z } from 'zod';
import type { Retriever } from '../../../knowledge/retrieve/retrieval-hit.ts';
import type { TurnScope } from './turn-scope.ts';

const PASSAGES_PER_SEARCH = 4;

/**
 * Retrieval over the tenant's knowledge. Each passage comes back under a marker ([1], [2]…) that
 * stays the same for the whole turn, so the reply's citations can be matched to their sources.
 */
export function searchKnowledgeTool(retriever: Retriever, scope: TurnScope) {
  return tool(
    async ({ query }) => {
      scope.outcome.toolCalls.push('search_knowledge');
      const hits = await retriever.retrieve(scope.tenantId, query, {
        lang: scope.lang,
        limit: PASSAGES_PER_SEARCH,
      });
      if (hits.length === 0) {
        return 'No passage of the knowledge base answers this. Say that you do not know, and offer a person of the team or to leave contact details.';
      }
      return hits
        .map((hit) => {
          let shown = scope.outcome.passages.find((p) => p.chunkId === hit.chunkId);
          if (!shown) {
            shown = {
              marker: scope.outcome.passages.length + 1,
              chunkId: hit.chunkId,
              score: hit.score,
              citation: hit.citation,
            };
            scope.outcome.passages.push(shown);
          }
          const source = hit.citation.url ? ` (${hit.citation.url})` : '';
          return `[${shown.marker}] ${hit.citation.title}${source}\n${hit.content}`;
        })
        .join('\n\n');
    },
    {
      name: 'search_knowledge',
      description:
        "Searches the business's documents, website and FAQ. Returns numbered passages to answer from and cite as [n].",
      schema: z.object({
        query: z.string().min(1).max(500).describe('What to look for, in the words of the question'),
      }),
    },
  );
}
