import { Readability } from '@mozilla/readability';
import { parseHTML } from 'linkedom';
import { ExtractionError } from './extraction-error.ts';
import { htmlToMarkdown } from './html-to-markdown.ts';

export interface ExtractedText {
  title: string | null;
  /** The readable content, as Markdown (headings kept, for structure-aware chunking). */
  markdown: string;
}

/** Readable text needs at least this many letters to be worth indexing. */
const MIN_LETTERS = 20;

/**
 * The main content of an HTML page or file, as Markdown, with its title: Readability keeps the
 * article and drops navigation, footers and scripts (nothing is executed: linkedom has no script
 * engine). Pages Readability cannot read fall back to the body's text without scripts and styles.
 */
export function extractHtml(html: string): ExtractedText {
  const { document } = parseHTML(html);
  for (const element of document.querySelectorAll('script, style, noscript, template, iframe'))
    element.remove();
  const pageTitle = cleanTitle(document.querySelector('title')?.textContent);
  const firstHeading = cleanTitle(document.querySelector('h1')?.textContent);
  const fallbackHtml = document.body?.innerHTML ?? '';
  let article: { title?: string | null | undefined; content?: string | null | undefined } | null = null;
  try {
    // Readability mutates the document it reads.
    article = new Readability(document as unknown as Document, { charThreshold: 200 }).parse();
  } catch {
    article = null;
  }
  let markdown = article?.content ? htmlToMarkdown(article.content) : '';
  if (letters(markdown) < MIN_LETTERS) markdown = htmlToMarkdown(fallbackHtml);
  if (letters(markdown) < MIN_LETTERS) {
    throw new ExtractionError(
      'The page has no readable text (it may be only scripts, images or a login form).',
    );
  }
  return { title: cleanTitle(article?.title) ?? pageTitle ?? firstHeading, markdown };
}

function letters(text: string): number {
  return (text.match(/\p{L}/gu) ?? []).length;
}

function cleanTitle(title: string | null | undefined): string | null {
  const clean = title?.replace(/\s+/g, ' ').trim();
  return clean ? clean.slice(0, 500) : null;
}
