import { extractText, getDocumentProxy, getMeta } from 'unpdf';
import type { ExtractedText } from './extract-html.ts';
import { ExtractionError } from './extraction-error.ts';

/**
 * The text of a PDF, page after page, through PDF.js. Password-protected, damaged and image-only
 * (scanned) PDFs are refused with a message saying which.
 */
export async function extractPdf(bytes: Uint8Array): Promise<ExtractedText> {
  let pages: string[];
  let title: string | null = null;
  try {
    const pdf = await getDocumentProxy(new Uint8Array(bytes), {
      isEvalSupported: false,
      stopAtErrors: false,
      verbosity: 0,
    });
    try {
      const meta = await getMeta(pdf).catch(() => undefined);
      const metaTitle = meta?.info?.['Title'];
      if (typeof metaTitle === 'string' && metaTitle.trim()) title = metaTitle.trim().slice(0, 500);
      pages = (await extractText(pdf, { mergePages: false })).text;
    } finally {
      await pdf.destroy();
    }
  } catch (error) {
    const name = error instanceof Error ? error.name : '';
    if (name === 'PasswordException') {
      throw new ExtractionError('The PDF is password-protected: upload a copy without a password.');
    }
    const detail = error instanceof Error ? error.message : String(error);
    throw new ExtractionError(`The PDF could not be read; it may be damaged (${detail.slice(0, 200)}).`);
  }
  const text = pages.map(tidyPage).filter(Boolean).join('\n\n');
  if ((text.match(/\p{L}/gu) ?? []).length < 20) {
    throw new ExtractionError(
      'The PDF has no extractable text: it may be scanned images, which need OCR first.',
    );
  }
  return { title, markdown: text };
}

/** Joins words hyphenated across lines and collapses the spacing PDF text comes with. */
function tidyPage(page: string): string {
  return page
    .replace(/(\p{L})-\n(\p{Ll})/gu, '$1$2')
    .replace(/[ \t\u00a0]+/g, ' ')
    .replace(/ *\n */g, '\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}
