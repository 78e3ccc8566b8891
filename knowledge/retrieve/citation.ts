import type { Citation } from './retrieval-hit.ts';

/**
 * Where a chunk came from, as the visitor sees it: the FAQ question, the page's or document's
 * title, with the page's URL or the document's file name.
 */
export function citationOf(
  chunk: { title: string | null; sourceType: string },
  metadata: Record<string, unknown>,
): Citation {
  const text = (key: string) => {
    const value = metadata[key];
    return typeof value === 'string' && value.trim() !== '' ? value : undefined;
  };
  const url = text('parent_url');
  const filename = text('filename');
  const citation: Citation = {
    title: text('title') ?? chunk.title ?? filename ?? url ?? chunk.sourceType,
  };
  if (url) citation.url = url;
  if (filename) citation.filename = filename;
  return citation;
}
