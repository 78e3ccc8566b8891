import { RecursiveCharacterTextSplitter } from '@langchain/textsplitters';
import { detectLanguage, type Language } from '../text/detect-language.ts';

export interface ChunkingOptions {
  /** The document's or page's title, first element of every chunk's title. */
  sourceTitle: string | null;
  /** Where the chunks come from, as the seed's metadata names it. */
  locator: { parent_url: string } | { filename: string };
  chunkSize?: number;
  chunkOverlap?: number;
}

export interface PreparedChunk {
  /** The source title and the headings above the passage: "Livraison › Europe". */
  title: string;
  content: string;
  lang: Language | null;
  metadata: Record<string, unknown>;
}

export const DEFAULT_CHUNK_SIZE = 1000;
export const DEFAULT_CHUNK_OVERLAP = 150;

/** Characters between the parts of a chunk title. */
const TITLE_SEPARATOR = ' › ';

/**
 * Splits Markdown into chunks that follow its structure. Headings cut it into sections, and each
 * chunk is titled with its section's heading path, so a passage under "Europe" in "Livraison"
 * still says what it is about. Long sections are split by LangChain's Markdown-aware splitter
 * (paragraphs, then lines, then sentences), with overlap so a sentence cut at a boundary is whole
 * in one of the two chunks.
 */
export async function chunkMarkdown(markdown: string, options: ChunkingOptions): Promise<PreparedChunk[]> {
  const splitter = RecursiveCharacterTextSplitter.fromLanguage('markdown', {
    chunkSize: options.chunkSize ?? DEFAULT_CHUNK_SIZE,
    chunkOverlap: options.chunkOverlap ?? DEFAULT_CHUNK_OVERLAP,
  });
  const documentLanguage = detectLanguage(markdown.slice(0, 20_000)) ?? null;
  const chunks: PreparedChunk[] = [];
  for (const section of sections(markdown)) {
    const title = chunkTitle(options.sourceTitle, section.path);
    for (const part of await splitter.splitText(section.text)) {
      const content = part.trim();
      if (!/[\p{L}\p{N}]/u.test(content)) continue;
      chunks.push({
        title,
        content,
        lang: detectLanguage(content) ?? documentLanguage,
        metadata: {
          chunk_index: chunks.length,
          char_count: content.length,
          ...options.locator,
          ...(options.sourceTitle ? { title: options.sourceTitle } : {}),
          ...(section.path.length > 0 ? { section: section.path.join(TITLE_SEPARATOR) } : {}),
        },
      });
    }
  }
  return chunks;
}

interface Section {
  /** Headings above the text, outermost first. */
  path: string[];
  text: string;
}

/** The Markdown cut at its ATX headings; headings inside fenced code blocks are code. */
function sections(markdown: string): Section[] {
  const result: Section[] = [];
  const path: { level: number; text: string }[] = [];
  let lines: string[] = [];
  let fence: string | null = null;
  const flush = () => {
    const text = lines.join('\n').trim();
    if (text) result.push({ path: path.map((h) => h.text), text });
    lines = [];
  };
  for (const line of markdown.split('\n')) {
    const fenceMatch = /^\s*(```+|~~~+)/.exec(line);
    if (fenceMatch) {
      if (fence === null) fence = fenceMatch[1]!.slice(0, 3);
      else if (fenceMatch[1]!.startsWith(fence)) fence = null;
      lines.push(line);
      continue;
    }
    const heading = fence === null ? /^(#{1,6})\s+(.+?)\s*#*\s*$/.exec(line) : null;
    if (!heading) {
      lines.push(line);
      continue;
    }
    flush();
    const level = heading[1]!.length;
    while (path.length > 0 && path[path.length - 1]!.level >= level) path.pop();
    path.push({ level, text: heading[2]!.replace(/[*_`]/g, '').trim() });
  }
  flush();
  return result;
}

function chunkTitle(sourceTitle: string | null, path: string[]): string {
  const parts: string[] = [];
  for (const part of [sourceTitle, ...path]) {
    if (!part) continue;
    // A page titled "Livraison" whose first heading is "Livraison" says it once.
    if (parts.some((p) => p.toLowerCase() === part.toLowerCase())) continue;
    parts.push(part);
  }
  return parts.join(TITLE_SEPARATOR).slice(0, 1000);
}
