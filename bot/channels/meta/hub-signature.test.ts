import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { signHubBody, verifyHubSignature } from './hub-signature.ts';

const secret = 'app-secret';

describe('X-Hub-Signature-256', () => {
  it('accepts the HMAC of the exact bytes, in lower- or upper-case hex', () => {
    const body = Buffer.from('{"object":"instagram","entry":[]}');
    const hex = createHmac('sha256', secret).update(body).digest('hex');
    expect(verifyHubSignature(body, `sha256=${hex}`, secret)).toBe(true);
    expect(verifyHubSignature(body, `sha256=${hex.toUpperCase()}`, secret)).toBe(true);
  });

  it('is computed over Meta’s escaped-unicode bytes, which re-serialized JSON does not reproduce', () => {
    // Meta sends non-ASCII text escaped; JSON.parse + JSON.stringify writes it back unescaped.
    const raw = Buffer.from('{"text":"Caf\\u00e9 \\ud83c\\udf89 \\u00e0 No\\u00ebl"}');
    const header = signHubBody(raw, secret);
    const reserialized = Buffer.from(JSON.stringify(JSON.parse(raw.toString('utf8'))));
    expect(reserialized.toString()).toContain('Café 🎉');
    expect(verifyHubSignature(raw, header, secret)).toBe(true);
    expect(verifyHubSignature(reserialized, header, secret)).toBe(false);
  });

  it('accepts raw UTF-8 bodies signed as sent', () => {
    const raw = Buffer.from('{"text":"Ça coûte 12 € — 日本語 🎉"}', 'utf8');
    expect(verifyHubSignature(raw, signHubBody(raw, secret), secret)).toBe(true);
  });

  it('refuses missing, malformed, truncated and wrong signatures', () => {
    const body = Buffer.from('{}');
    const good = signHubBody(body, secret);
    expect(verifyHubSignature(body, undefined, secret)).toBe(false);
    expect(verifyHubSignature(body, '', secret)).toBe(false);
    expect(verifyHubSignature(body, good.replace('sha256=', 'sha1='), secret)).toBe(false);
    expect(verifyHubSignature(body, good.slice(0, -2), secret)).toBe(false);
    expect(verifyHubSignature(body, signHubBody(body, 'other-secret'), secret)).toBe(false);
    expect(verifyHubSignature(Buffer.from('{} '), good, secret)).toBe(false);
  });
});
