import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { detectFormat } from './document-format.ts';
import { extractDocument } from './extract-document.ts';
import { extractDocx } from './extract-docx.ts';
import { extractHtml } from './extract-html.ts';
import { extractIsolated } from './extract-isolated.ts';
import { ExtractionError } from './extraction-error.ts';

const fixture = (name: string) => readFile(new URL(`./fixtures/${name}`, import.meta.url));

describe('PDF', () => {
  it('extracts the text of every page and the title from the metadata', async () => {
    const { title, markdown } = await extractDocument('pdf', await fixture('returns-policy.pdf'));
    expect(title).toBe('Returns and refunds');
    expect(markdown).toContain('You have 30 days from delivery to return an unworn item.');
    expect(markdown).toContain('Gift cards cannot be refunded.');
    expect(markdown.indexOf('Returns policy')).toBeLessThan(markdown.indexOf('Exchanges'));
  });

  it('refuses a password-protected PDF, saying so', async () => {
    await expect(extractDocument('pdf', await fixture('encrypted.pdf'))).rejects.toThrow(
      /password-protected/,
    );
  });

  it.each(['truncated.pdf', 'garbage.pdf'])(
    'refuses a damaged PDF (%s) with a readable error',
    async (name) => {
      const error = await extractDocument('pdf', await fixture(name)).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ExtractionError);
      expect((error as Error).message).toMatch(/PDF/);
    },
  );
});

describe('DOCX', () => {
  it('extracts paragraphs with their headings as Markdown', async () => {
    const { title, markdown } = await extractDocument('docx', await fixture('size-guide.docx'));
    expect(title).toBe('Guide des tailles');
    expect(markdown).toMatch(/^## Chaussures$/m);
    expect(markdown).toContain('choisissez une pointure de plus');
    expect(markdown).toMatch(/^## Entretien$/m);
  });

  it('refuses a DOCX that decompresses to gigabytes, without inflating it', async () => {
    const before = process.memoryUsage().rss;
    const error = await extractDocx(await fixture('zip-bomb.docx')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ExtractionError);
    expect((error as Error).message).toMatch(/zip bomb/);
    expect(process.memoryUsage().rss - before).toBeLessThan(400 * 1024 * 1024);
  });

  it('refuses a zip that is not a Word document', async () => {
    const { default: JSZip } = await import('jszip');
    const zip = new JSZip();
    zip.file('hello.txt', 'hello');
    const bytes = await zip.generateAsync({ type: 'uint8array' });
    await expect(extractDocx(bytes)).rejects.toThrow(/not a Word document/);
  });
});

describe('HTML', () => {
  it('keeps the article and drops navigation, scripts and styles', () => {
    const { title, markdown } = extractHtml(`<!doctype html><html><head><title>Livraison - Ma Boutique</title>
      <style>body{color:red}</style><script>document.write('<p>injected</p>')</script></head>
      <body><nav><a href="/">Accueil</a> <a href="/cgv">CGV</a></nav>
      <main><article><h1>Livraison</h1><p>Nous livrons en France métropolitaine sous 3 à 5 jours ouvrés.
      La livraison est gratuite à partir de 50 € d'achat, et le suivi du colis est envoyé par e-mail.</p>
      <h2>Europe</h2><p>Comptez 5 à 8 jours ouvrés pour le reste de l'Europe, pour 9,90 € par commande.</p></article></main>
      <script>alert('x')</script><footer>© Ma Boutique</footer></body></html>`);
    expect(title).toBe('Livraison - Ma Boutique');
    expect(markdown).toContain('sous 3 à 5 jours ouvrés');
    expect(markdown).toMatch(/^#+ Europe$/m);
    expect(markdown).not.toMatch(/injected|alert|color:red/);
  });

  it('fails a page that is nothing but scripts', () => {
    const scripts = Array.from(
      { length: 200 },
      (_, i) => `<script>var a${i} = "${'x'.repeat(100)}";</script>`,
    ).join('');
    expect(() =>
      extractHtml(`<html><head><title>App</title></head><body>${scripts}<div id="root"></div></body></html>`),
    ).toThrow(/no readable text/);
  });
});

describe('text', () => {
  it('reads UTF-8 and Windows-1252 text', async () => {
    expect(
      (await extractDocument('text', new TextEncoder().encode('Délai de livraison : 3 jours'))).markdown,
    ).toBe('Délai de livraison : 3 jours');
    const latin1 = Uint8Array.from([
      0x44, 0xe9, 0x6c, 0x61, 0x69, 0x20, 0x64, 0x65, 0x20, 0x72, 0x65, 0x74, 0x6f, 0x75, 0x72,
    ]);
    expect((await extractDocument('text', latin1)).markdown).toBe('Délai de retour');
  });

  it('refuses binary data that claims to be text', async () => {
    const binary = Uint8Array.from({ length: 2048 }, (_, i) => (i * 37) % 256);
    await expect(extractDocument('text', binary)).rejects.toThrow(/not text/);
    await expect(extractDocument('markdown', binary)).rejects.toThrow(/not text/);
  });

  it('takes a Markdown document title from its first heading', async () => {
    const { title } = await extractDocument(
      'markdown',
      new TextEncoder().encode('Intro\n\n# Conditions générales\n\nTexte.'),
    );
    expect(title).toBe('Conditions générales');
  });
});

describe('format detection', () => {
  const pdfHead = new TextEncoder().encode('%PDF-1.7');
  it('trusts the bytes over the name', () => {
    expect(detectFormat('notes.pdf', undefined, pdfHead)).toBe('pdf');
    expect(() => detectFormat('notes.pdf', 'application/pdf', new TextEncoder().encode('hello'))).toThrow(
      /not one/,
    );
    expect(() => detectFormat('report.docx', undefined, pdfHead)).toThrow(/not a DOCX/);
    expect(detectFormat('upload', 'text/markdown; charset=utf-8', new Uint8Array())).toBe('markdown');
    expect(() => detectFormat('photo.jpg', 'image/jpeg', Uint8Array.from([0xff, 0xd8]))).toThrow(
      /Unsupported/,
    );
  });
});

describe('isolation', () => {
  it('extracts in a worker thread and reports its failures as readable errors', async () => {
    const { markdown } = await extractIsolated('pdf', await fixture('returns-policy.pdf'));
    expect(markdown).toContain('Refunds are paid within 7 days');
    await expect(extractIsolated('pdf', await fixture('encrypted.pdf'))).rejects.toThrow(
      /password-protected/,
    );
  });

  it('stops an extraction that runs past its deadline', async () => {
    await expect(
      extractIsolated('docx', await fixture('size-guide.docx'), { timeoutMs: 1, maxMemoryMb: 256 }),
    ).rejects.toThrow(/took longer than/);
  });
});
