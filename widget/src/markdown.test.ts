import { h } from 'preact';
import { describe, expect, it } from 'vitest';
import { toHtml } from '../testing/test-doubles.ts';
import { Markdown } from './panel.tsx';

const md = (text: string) => toHtml(h(Markdown, { text }));

describe('safe markdown', () => {
  it('renders bold, italics, inline code, line breaks and paragraphs', () => {
    expect(md('**Livraison** en *3 jours*, code `MB-42`\nà bientôt\n\nMerci')).toBe(
      '<p><strong>Livraison</strong> en <em>3 jours</em>, code <code>MB-42</code><br></br>à bientôt</p><p>Merci</p>',
    );
    expect(md('__gras__ et _italique_ mais snake_case_name reste tel quel')).toBe(
      '<p><strong>gras</strong> et <em>italique</em> mais snake_case_name reste tel quel</p>',
    );
  });

  it('renders bulleted and numbered lists, and formatting inside items', () => {
    expect(md('Étapes :\n1. Se connecter\n2. Ouvrir **Commandes**\n\n- carte\n- PayPal')).toBe(
      '<p>Étapes :</p><ol><li>Se connecter</li><li>Ouvrir <strong>Commandes</strong></li></ol><ul><li>carte</li><li>PayPal</li></ul>',
    );
  });

  it('links http, https, mailto and tel in a new tab with noopener noreferrer', () => {
    expect(
      md(
        '[le guide](https://shop.example/guide) ou support@x.fr: [écrire](mailto:a@b.fr) [appeler](tel:+33123)',
      ),
    ).toBe(
      '<p><a href="https://shop.example/guide" target="_blank" rel="noopener noreferrer">le guide</a> ou support@x.fr: ' +
        '<a href="mailto:a@b.fr" target="_blank" rel="noopener noreferrer">écrire</a> ' +
        '<a href="tel:+33123" target="_blank" rel="noopener noreferrer">appeler</a></p>',
    );
    expect(md('Voir https://shop.example/retours.')).toBe(
      '<p>Voir <a href="https://shop.example/retours" target="_blank" rel="noopener noreferrer">https://shop.example/retours</a>.</p>',
    );
  });

  it('never links javascript:, data: or vbscript: URLs, in any disguise', () => {
    for (const url of [
      'javascript:alert(1)',
      'JaVaScRiPt:alert(1)',
      ' javascript:alert(1)',
      'data:text/html,<script>',
      'vbscript:x',
      '//evil.example',
      '/relative',
    ]) {
      const html = md(`[cliquez](${url})`);
      expect(html, url).not.toContain('<a');
      expect(html).toContain('cliquez');
    }
  });

  it('renders HTML as text: nothing in a message becomes markup', () => {
    const html = md('<img src=x onerror=alert(1)> <script>alert(2)</script> **<b>x</b>**');
    expect(html).toBe(
      '<p>&lt;img src=x onerror=alert(1)&gt; &lt;script&gt;alert(2)&lt;/script&gt; <strong>&lt;b&gt;x&lt;/b&gt;</strong></p>',
    );
  });
});
