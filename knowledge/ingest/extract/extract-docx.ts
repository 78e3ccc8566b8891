import JSZip from 'jszip';
import mammoth from 'mammoth';
import yauzl from 'yauzl';
import { type ExtractedText, extractHtml } from './extract-html.ts';
import { ExtractionError } from './extraction-error.ts';

export interface ZipLimits {
  /** Bytes all entries may expand to, together. */
  maxTotalBytes: number;
  maxEntries: number;
}

export const DEFAULT_ZIP_LIMITS: ZipLimits = { maxTotalBytes: 100 * 1024 * 1024, maxEntries: 10_000 };

/**
 * The text of a Word document, through mammoth (DOCX → HTML → Markdown, headings kept). A DOCX is
 * a zip, and a zip can expand to gigabytes: it is first unpacked under byte and entry budgets,
 * counting the bytes actually inflated (not the sizes the archive declares), then handed to
 * mammoth already expanded.
 */
export async function extractDocx(
  bytes: Uint8Array,
  limits: ZipLimits = DEFAULT_ZIP_LIMITS,
): Promise<ExtractedText> {
  const entries = await unzipWithinLimits(Buffer.from(bytes), limits);
  if (!entries.has('word/document.xml')) {
    throw new ExtractionError('The file is a zip archive but not a Word document (no word/document.xml).');
  }
  const repacked = new JSZip();
  for (const [name, content] of entries) repacked.file(name, content, { compression: 'STORE' });
  const buffer = await repacked.generateAsync({ type: 'nodebuffer', compression: 'STORE' });
  let html: string;
  try {
    const result = await mammoth.convertToHtml(
      { buffer },
      // Pictures carry no text; not reading them also keeps their bytes out of memory.
      { convertImage: mammoth.images.imgElement(async () => ({ src: '' })) },
    );
    html = result.value;
  } catch (error) {
    throw new ExtractionError(
      `The Word document could not be read; it may be damaged (${error instanceof Error ? error.message.slice(0, 200) : error}).`,
    );
  }
  if (!/\p{L}/u.test(html)) throw new ExtractionError('The Word document contains no text.');
  return extractHtml(`<html><body><article>${html}</article></body></html>`);
}

function unzipWithinLimits(buffer: Buffer, limits: ZipLimits): Promise<Map<string, Buffer>> {
  const tooBig = () =>
    new ExtractionError(
      `The document expands to more than ${Math.round(limits.maxTotalBytes / 1024 / 1024)} MB when unzipped; it is refused as a likely zip bomb.`,
    );
  return new Promise((resolve, reject) => {
    yauzl.fromBuffer(
      buffer,
      { lazyEntries: true, validateEntrySizes: true, strictFileNames: false },
      (error, zip) => {
        if (error || !zip) {
          reject(
            new ExtractionError(
              `The file is not a valid DOCX (zip) archive: ${error?.message ?? 'unreadable'}.`,
            ),
          );
          return;
        }
        const entries = new Map<string, Buffer>();
        let total = 0;
        let settled = false;
        const fail = (problem: Error) => {
          if (settled) return;
          settled = true;
          zip.close();
          reject(
            problem instanceof ExtractionError
              ? problem
              : new ExtractionError(`The DOCX archive is damaged: ${problem.message}.`),
          );
        };
        if (zip.entryCount > limits.maxEntries) {
          fail(
            new ExtractionError(
              `The DOCX archive has ${zip.entryCount} entries; at most ${limits.maxEntries} are accepted.`,
            ),
          );
          return;
        }
        zip.on('error', fail);
        zip.on('end', () => {
          if (settled) return;
          settled = true;
          resolve(entries);
        });
        zip.on('entry', (entry: yauzl.Entry) => {
          if (settled) return;
          const name = entry.fileName;
          // Pictures and embedded objects are not read; directories have no content.
          if (name.endsWith('/') || /^word\/(media|embeddings)\//.test(name)) {
            zip.readEntry();
            return;
          }
          if (total + entry.uncompressedSize > limits.maxTotalBytes) {
            fail(tooBig());
            return;
          }
          zip.openReadStream(entry, (streamError, stream) => {
            if (streamError || !stream) {
              fail(streamError ?? new Error('unreadable entry'));
              return;
            }
            const parts: Buffer[] = [];
            stream.on('data', (part: Buffer) => {
              total += part.length;
              if (total > limits.maxTotalBytes) {
                stream.destroy();
                fail(tooBig());
                return;
              }
              parts.push(part);
            });
            stream.on('error', (e: Error) => fail(e));
            stream.on('end', () => {
              if (settled) return;
              entries.set(name, Buffer.concat(parts));
              zip.readEntry();
            });
          });
        });
        zip.readEntry();
      },
    );
  });
}
