import { describe, expect, it } from 'vitest';
import { chunkMarkdown } from './chunk-markdown.ts';

describe('chunkMarkdown', () => {
  it('titles each chunk with its heading path and records the seed metadata', async () => {
    const markdown = [
      '# Livraison',
      'Nous livrons partout en France.',
      '## Europe',
      'Comptez 5 à 8 jours ouvrés pour le reste de l’Europe.',
      '### Suisse',
      'La Suisse est livrée en 6 jours, droits de douane compris.',
      '## Express',
      'La livraison express arrive le lendemain.',
    ].join('\n\n');
    const chunks = await chunkMarkdown(markdown, {
      sourceTitle: 'Livraison',
      locator: { parent_url: 'https://shop.example/livraison' },
    });
    expect(chunks.map((c) => c.title)).toEqual([
      'Livraison',
      'Livraison › Europe',
      'Livraison › Europe › Suisse',
      'Livraison › Express',
    ]);
    expect(chunks[2]!.content).toBe('La Suisse est livrée en 6 jours, droits de douane compris.');
    expect(chunks[2]!.lang).toBe('fr');
    expect(chunks[2]!.metadata).toEqual({
      chunk_index: 2,
      char_count: chunks[2]!.content.length,
      parent_url: 'https://shop.example/livraison',
      title: 'Livraison',
      section: 'Livraison › Europe › Suisse',
    });
  });

  it('splits long sections with overlap and keeps chunks within the size', async () => {
    const sentences = Array.from(
      { length: 60 },
      (_, i) => `Sentence number ${i} explains one more detail of the policy.`,
    );
    const chunks = await chunkMarkdown(sentences.join(' '), {
      sourceTitle: null,
      locator: { filename: 'policy.txt' },
      chunkSize: 400,
      chunkOverlap: 80,
    });
    expect(chunks.length).toBeGreaterThan(5);
    for (const chunk of chunks) expect(chunk.content.length).toBeLessThanOrEqual(400);
    // Overlap: the end of a chunk reappears at the start of the next.
    const tail = chunks[0]!.content.split(' ').slice(-3).join(' ');
    expect(chunks[1]!.content).toContain(tail);
    expect(chunks.map((c) => c.metadata['chunk_index'])).toEqual(chunks.map((_, i) => i));
    expect(chunks[0]!.metadata['filename']).toBe('policy.txt');
    expect(chunks[0]!.lang).toBe('en');
  });

  it('does not read headings inside fenced code', async () => {
    const chunks = await chunkMarkdown('# Setup\n\n```sh\n# not a heading\nnpm start\n```\n', {
      sourceTitle: 'Guide',
      locator: { filename: 'guide.md' },
    });
    expect(chunks).toHaveLength(1);
    expect(chunks[0]!.title).toBe('Guide › Setup');
    expect(chunks[0]!.content).toContain('# not a heading');
  });
});
