import type { Language } from '../../knowledge/text/detect-language.ts';
import type { Availability } from './support-hours.ts';

/**
 * What the visitor is told when a human takes over: that someone will answer, and when, from the
 * tenant's support hours ("Monday at 09:00, Paris time").
 */
export function handoffText(
  lang: Language,
  reason: string,
  availability: Availability,
  timeZone: string,
  options: { alreadyWaiting?: boolean } = {},
): string {
  const when = whenText(lang, availability, timeZone);
  if (options.alreadyWaiting) {
    return lang === 'fr'
      ? `Votre demande est bien transmise à notre équipe. ${when}`
      : `Your request is with our team. ${when}`;
  }
  const opening: Record<Language, Record<string, string>> = {
    fr: {
      complaint:
        'Je suis désolé pour ce désagrément. Je transmets votre message à un membre de notre équipe.',
      negative_sentiment: 'Je suis désolé. Je transmets votre message à un membre de notre équipe.',
      refund_request: "Je transmets votre demande à un membre de notre équipe, qui s'en occupera.",
      low_confidence:
        'Je ne suis pas sûr de pouvoir vous répondre correctement, alors je transmets votre question à un membre de notre équipe.',
      default: 'Je vous mets en relation avec un membre de notre équipe.',
    },
    en: {
      complaint: "I'm sorry about this. I'm passing your message on to someone from our team.",
      negative_sentiment: "I'm sorry. I'm passing your message on to someone from our team.",
      refund_request: "I'm passing your request on to someone from our team, who will take care of it.",
      low_confidence:
        "I'm not sure I can answer that correctly, so I'm passing your question on to someone from our team.",
      default: "I'm connecting you with someone from our team.",
    },
  };
  const first = opening[lang][reason] ?? opening[lang]['default']!;
  return `${first} ${when}`;
}

function whenText(lang: Language, availability: Availability, timeZone: string): string {
  if (availability.kind === 'open') {
    return lang === 'fr'
      ? 'Une personne vous répond ici dans quelques minutes.'
      : 'A person will reply here within a few minutes.';
  }
  if (availability.kind === 'unknown') {
    return lang === 'fr'
      ? 'Une personne vous répondra ici dès que possible.'
      : 'A person will reply here as soon as possible.';
  }
  const at = new Intl.DateTimeFormat(lang === 'fr' ? 'fr-FR' : 'en-GB', {
    timeZone,
    weekday: 'long',
    day: 'numeric',
    month: 'long',
    hour: '2-digit',
    minute: '2-digit',
  }).format(availability.at);
  const city = timeZone.split('/').at(-1)?.replace(/_/g, ' ') ?? timeZone;
  return lang === 'fr'
    ? `Notre équipe est disponible à partir du ${at} (heure de ${city}) : nous vous répondrons ici à ce moment-là.`
    : `Our team is available from ${at} (${city} time): we will reply here then.`;
}
