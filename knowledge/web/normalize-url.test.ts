import { describe, expect, it } from 'vitest';
import { isSameSite, isSeriesLike, normalizeUrl, urlShape } from './normalize-url.ts';

describe('normalizeUrl', () => {
  it('spells each page one way', () => {
    expect(normalizeUrl('HTTPS://Shop.Example:443/a//b/?utm_source=x&b=2&a=1#top')).toBe(
      'https://shop.example/a/b?a=1&b=2',
    );
    expect(normalizeUrl('/livraison/', 'http://shop.example/fr/')).toBe('http://shop.example/livraison');
    expect(normalizeUrl('http://shop.example')).toBe('http://shop.example/');
    expect(normalizeUrl('mailto:a@b.c')).toBeUndefined();
    expect(normalizeUrl('javascript:alert(1)')).toBeUndefined();
  });
});

describe('site and series', () => {
  it('stays on the host (www or not) and under the base path', () => {
    expect(isSameSite('https://www.shop.example/x', 'https://shop.example/')).toBe(true);
    expect(isSameSite('https://shop.example/en/x', 'https://shop.example/fr')).toBe(false);
    expect(isSameSite('https://other.example/', 'https://shop.example/')).toBe(false);
  });

  it('caps calendars and paginations, not numbered pages', () => {
    expect(isSeriesLike('https://s.example/agenda?month=2025-03')).toBe(true);
    expect(isSeriesLike('https://s.example/agenda/2025/03')).toBe(true);
    expect(isSeriesLike('https://s.example/produit-123')).toBe(false);
    expect(urlShape('https://s.example/agenda?month=2025-03')).toBe(
      urlShape('https://s.example/agenda?month=2026-11'),
    );
  });
});
