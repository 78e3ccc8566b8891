import type { Responder } from '../../bot/responder.ts';

/**
 * The offline bot answers all at once; the browser tests need a reply that streams, as the LLM
 * agent's do. This writes the offline bot's answer out word by word, `delayMs` apart.
 */
export function typewriter(inner: Responder, delayMs: number): Responder {
  return {
    async respond(context, stream) {
      const reply = await inner.respond(context);
      if (!reply || !stream) return reply;
      for (const word of reply.text.match(/\S+\s*/g) ?? []) {
        await new Promise((resolve) => setTimeout(resolve, delayMs));
        stream.delta(word);
      }
      return reply;
    },
  };
}
