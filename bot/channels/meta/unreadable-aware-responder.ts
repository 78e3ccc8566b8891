import type { Db, Tx } from '../../../db/database.ts';
import { withTenant } from '../../../db/tenant-scope.ts';
import { detectLanguage, type Language } from '../../../knowledge/text/detect-language.ts';
import type { BotReply, Responder, TurnContext } from '../../responder.ts';
import { getBusinessProfile } from '../../tenants/tenant-store.ts';

const POLITE: Record<Language, (what: string) => string> = {
  fr: (what) =>
    `Merci pour votre ${what} ! Je ne peux lire que les messages écrits pour l’instant. Pouvez-vous m’écrire votre question ?`,
  en: (what) =>
    `Thanks for your ${what}! I can only read written messages for now. Could you type your question?`,
};

const WHAT: Record<Language, Record<string, string>> = {
  fr: {
    image: 'image',
    video: 'vidéo',
    audio: 'message audio',
    voice: 'message vocal',
    document: 'document',
    file: 'fichier',
    location: 'position',
    contacts: 'contact',
    order: 'commande',
    share: 'partage',
    ig_post: 'partage',
    ig_reel: 'partage',
    reel: 'partage',
  },
  en: {
    image: 'picture',
    video: 'video',
    audio: 'audio message',
    voice: 'voice message',
    document: 'document',
    file: 'file',
    location: 'location',
    contacts: 'contact',
    order: 'order',
    share: 'share',
    ig_post: 'share',
    ig_reel: 'share',
    reel: 'share',
  },
};

/**
 * Answers what the bot cannot read (a voice note, a picture without caption, a shared post…)
 * with a polite request to write instead, in the customer's language; everything else goes to
 * the real responder.
 */
export function createUnreadableAwareResponder(inner: Responder, db: Db): Responder {
  const innerInTransaction = inner.respondInTransaction?.bind(inner);
  return {
    async respond(context, stream) {
      if (context.message.metadata['unreadable'] !== true) return inner.respond(context, stream);
      return politeReply(context, (work) => withTenant(db, context.tenantId, work));
    },
    ...(innerInTransaction
      ? {
          async respondInTransaction(tx: Tx, context: TurnContext) {
            if (context.message.metadata['unreadable'] !== true) return innerInTransaction(tx, context);
            return politeReply(context, (work) => work(tx));
          },
        }
      : {}),
  };
}

async function politeReply(
  context: TurnContext,
  run: <T>(work: (tx: Tx) => Promise<T>) => Promise<T>,
): Promise<BotReply> {
  const lang = languageOf(context) ?? (await run((tx) => businessLanguage(tx, context.tenantId)));
  const type = String(context.message.metadata['type'] ?? '');
  const what = WHAT[lang][type] ?? (lang === 'fr' ? 'message' : 'message');
  return {
    text: POLITE[lang](what),
    citations: [],
    metadata: { source: 'template', intent: 'unreadable_message', lang },
  };
}

function languageOf(context: TurnContext): Language | undefined {
  for (const earlier of [...context.history].reverse()) {
    if (earlier.role !== 'user' || earlier.metadata['unreadable'] === true) continue;
    const lang = detectLanguage(earlier.content);
    if (lang) return lang;
  }
  return undefined;
}

async function businessLanguage(tx: Tx, tenantId: string): Promise<Language> {
  const profile = await getBusinessProfile(tx, tenantId);
  return profile?.language === 'en' ? 'en' : 'fr';
}
