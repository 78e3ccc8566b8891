import Type, { type Static } from 'typebox';
import { Compile } from 'typebox/compile';

/**
 * The outer shape every Meta webhook shares: `{ object, entry: [...] }`. The request handler
 * checks only this much before storing a delivery; each entry's contents are read later, one
 * item at a time, so one odd item never costs the others.
 */
export const WebhookEnvelope = Type.Object({
  object: Type.String({ maxLength: 64 }),
  entry: Type.Array(
    Type.Object({
      id: Type.Union([Type.String({ maxLength: 64 }), Type.Number()]),
      time: Type.Optional(Type.Number()),
      changes: Type.Optional(Type.Array(Type.Unknown())),
      messaging: Type.Optional(Type.Array(Type.Unknown())),
      standby: Type.Optional(Type.Array(Type.Unknown())),
    }),
    { maxItems: 1000 },
  ),
});
export type WebhookEnvelope = Static<typeof WebhookEnvelope>;

export const checkEnvelope = Compile(WebhookEnvelope);

/**
 * The "Test" buttons of Meta's dashboards send sample events whose entry id is "0" (no real
 * account has that id). They prove the webhook works, and are acknowledged without being stored.
 */
export function isDashboardTest(envelope: WebhookEnvelope): boolean {
  return envelope.entry.length > 0 && envelope.entry.every((entry) => String(entry.id) === '0');
}
