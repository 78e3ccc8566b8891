import { Compile } from 'typebox/compile';
import { type ClientFrame, clientFrameSchemas, type ErrorCode } from './frames.ts';

export type ParseResult =
  | { ok: true; frame: ClientFrame }
  | { ok: false; code: ErrorCode; message: string; clientId?: string };

const validators = Object.fromEntries(
  Object.entries(clientFrameSchemas).map(([type, schema]) => [type, Compile(schema)]),
) as { [K in keyof typeof clientFrameSchemas]: ReturnType<typeof Compile<(typeof clientFrameSchemas)[K]>> };

function isFrameType(type: string): type is keyof typeof clientFrameSchemas {
  return Object.hasOwn(clientFrameSchemas, type);
}

/**
 * Turns one text frame into a checked client frame, or into the error to send back. The size is
 * checked before parsing so an oversize frame costs nothing to refuse.
 */
export function parseClientFrame(text: string, maxBytes: number): ParseResult {
  const bytes = Buffer.byteLength(text, 'utf8');
  if (bytes > maxBytes) {
    return {
      ok: false,
      code: 'frame_too_large',
      message: `Frames are limited to ${maxBytes} bytes (got ${bytes})`,
    };
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { ok: false, code: 'bad_json', message: 'A frame must be one JSON object' };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { ok: false, code: 'bad_json', message: 'A frame must be one JSON object' };
  }
  const type = (value as { type?: unknown }).type;
  if (typeof type !== 'string') {
    return { ok: false, code: 'invalid_frame', message: 'A frame needs a string "type"' };
  }
  if (!isFrameType(type)) {
    return { ok: false, code: 'unknown_type', message: `Unknown frame type "${type.slice(0, 40)}"` };
  }
  const validator = validators[type];
  if (!validator.Check(value)) {
    const [first] = validator.Errors(value);
    const where = first?.instancePath ? ` at ${first.instancePath}` : '';
    const clientId = (value as { clientId?: unknown }).clientId;
    return {
      ok: false,
      code: 'invalid_frame',
      message: `Invalid "${type}" frame${where}: ${first?.message ?? 'does not match the schema'}`,
      ...(typeof clientId === 'string' && clientId.length <= 64 ? { clientId } : {}),
    };
  }
  return { ok: true, frame: value as ClientFrame };
}
