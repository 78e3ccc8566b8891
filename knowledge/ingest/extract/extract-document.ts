import { decodeText } from './decode-text.ts';
import type { DocumentFormat } from './document-format.ts';
import { extractDocx } from './extract-docx.ts';
import { type ExtractedText, extractHtml } from './extract-html.ts';
import { extractPdf } from './extract-pdf.ts';
import { ExtractionError } from './extraction-error.ts';
import { tidyMarkdown } from './html-to-markdown.ts';

/** The text of a document of a known format, as Markdown, with its title when it has one. */
export async function extractDocument(format: DocumentFormat, bytes: Uint8Array): Promise<ExtractedText> {
  switch (format) {
    case 'pdf':
      return extractPdf(bytes);
    case 'docx':
      return extractDocx(bytes);
    case 'html':
      return extractHtml(decodeText(bytes));
    case 'markdown':
    case 'text': {
      const markdown = tidyMarkdown(decodeText(bytes));
      if (!/\p{L}/u.test(markdown)) throw new ExtractionError('The file contains no text.');
      const heading = format === 'markdown' ? /^#\s+(.+)$/m.exec(markdown)?.[1]?.trim() : undefined;
      return { title: heading ? heading.slice(0, 500) : null, markdown };
    }
  }
}
