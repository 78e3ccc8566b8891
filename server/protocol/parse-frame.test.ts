import { describe, expect, it } from 'vitest';
import { parseClientFrame } from './parse-frame.ts';

const parse = (value: unknown, max = 4096) =>
  parseClientFrame(typeof value === 'string' ? value : JSON.stringify(value), max);

describe('valid frames', () => {
  it.each([
    [{ type: 'hello' }],
    [{ type: 'hello', token: 'v1.x', lastSeq: 12 }],
    [{ type: 'message', clientId: 'abc_DEF-123', text: 'Bonjour' }],
    [{ type: 'ack', seq: 0 }],
    [{ type: 'ping' }],
  ])('%j', (frame) => {
    expect(parse(frame)).toEqual({ ok: true, frame });
  });
});

describe('malformed frames', () => {
  it.each([
    ['not JSON', '{"type":', 'bad_json'],
    ['JSON null', 'null', 'bad_json'],
    ['a JSON array', '[{"type":"ping"}]', 'bad_json'],
    ['a JSON string', '"ping"', 'bad_json'],
    ['no type', { text: 'x' }, 'invalid_frame'],
    ['a numeric type', { type: 7 }, 'invalid_frame'],
    ['an unknown type', { type: 'admin' }, 'unknown_type'],
    ['a prototype key as type', { type: '__proto__' }, 'unknown_type'],
    ['hello with a numeric token', { type: 'hello', token: 5 }, 'invalid_frame'],
    ['hello with a negative lastSeq', { type: 'hello', lastSeq: -1 }, 'invalid_frame'],
    ['hello with a fractional lastSeq', { type: 'hello', lastSeq: 1.5 }, 'invalid_frame'],
    ['hello with an unknown field', { type: 'hello', tenant: 'other' }, 'invalid_frame'],
    ['a message without text', { type: 'message', clientId: 'a' }, 'invalid_frame'],
    ['a message with empty text', { type: 'message', clientId: 'a', text: '' }, 'invalid_frame'],
    [
      'a message with a long clientId',
      { type: 'message', clientId: 'a'.repeat(65), text: 'x' },
      'invalid_frame',
    ],
    [
      'a message with a clientId of odd characters',
      { type: 'message', clientId: 'a b', text: 'x' },
      'invalid_frame',
    ],
    [
      'a message claiming a role',
      { type: 'message', clientId: 'a', text: 'x', role: 'agent' },
      'invalid_frame',
    ],
    ['an ack without seq', { type: 'ack' }, 'invalid_frame'],
    ['a ping with a payload', { type: 'ping', data: 1 }, 'invalid_frame'],
  ])('%s → %s', (_name, frame, code) => {
    const result = parse(frame);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.code).toBe(code);
  });

  it('refuses a frame over the byte limit before parsing it, counting bytes not characters', () => {
    const text = 'é'.repeat(2100); // 4200 bytes, 2100 characters
    const result = parse({ type: 'message', clientId: 'a', text });
    expect(result).toMatchObject({ ok: false, code: 'frame_too_large' });
    expect(parse('{'.repeat(5000))).toMatchObject({ ok: false, code: 'frame_too_large' });
  });

  it('names the faulty field and keeps the clientId of a faulty message', () => {
    const result = parse({ type: 'message', clientId: 'c-1', text: 42 });
    expect(result).toMatchObject({ ok: false, code: 'invalid_frame', clientId: 'c-1' });
    expect(!result.ok && result.message).toMatch(/\/text/);
  });
});
