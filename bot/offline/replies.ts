import type { Language } from '../../knowledge/text/detect-language.ts';

export interface ReplyVariables {
  business?: string | undefined;
  contact?: string | undefined;
  link?: string;
  /** How the customer will be reached (an email or a phone number they gave). */
  reach?: string;
}

type ReplyKey =
  | 'greeting'
  | 'thanks'
  | 'goodbye'
  | 'human'
  | 'abstain'
  | 'failure'
  | 'booking'
  | 'leadInvite'
  | 'leadThanks'
  | 'empty'
  | 'otherLanguage';

const TEXTS: Record<Language, Record<ReplyKey, (v: ReplyVariables) => string>> = {
  fr: {
    greeting: (v) =>
      v.business
        ? `Bonjour ! Je suis l'assistant de ${v.business}. Comment puis-je vous aider ?`
        : 'Bonjour ! Comment puis-je vous aider ?',
    thanks: () => 'Avec plaisir ! Avez-vous une autre question ?',
    goodbye: () => 'Merci de votre visite, à bientôt !',
    human: (v) =>
      v.contact
        ? `Bien sûr. Un membre de l'équipe peut prendre le relais : écrivez-nous ou appelez-nous (${v.contact}).`
        : "Bien sûr. Un membre de l'équipe va prendre le relais dès que possible.",
    abstain: (v) =>
      v.contact
        ? `Je n'ai pas trouvé de réponse sûre à votre question. Voulez-vous parler à un conseiller ? Vous pouvez aussi nous joindre directement (${v.contact}).`
        : "Je n'ai pas trouvé de réponse sûre à votre question. Voulez-vous parler à un conseiller ?",
    failure: () =>
      'Désolé, je rencontre un problème technique. Pouvez-vous reformuler ou réessayer dans un instant ?',
    booking: (v) => `Vous pouvez réserver un créneau directement ici : ${v.link}`,
    leadInvite: () =>
      "Avec plaisir ! Pour qu'un membre de l'équipe vous fasse une proposition, pouvez-vous me laisser votre nom et votre email ou votre téléphone ?",
    leadThanks: (v) =>
      v.reach
        ? `Merci ! C'est noté : un membre de l'équipe vous recontacte très vite (${v.reach}).`
        : "Merci ! C'est noté : un membre de l'équipe vous recontacte très vite.",
    empty: () => "Je n'ai pas bien compris. Pouvez-vous me dire en quelques mots ce que vous cherchez ?",
    otherLanguage: () =>
      "Désolé, je ne sais répondre qu'en français et en anglais. Sorry, I can only answer in French or English. Voulez-vous parler à un conseiller ? Would you like to talk to a person?",
  },
  en: {
    greeting: (v) =>
      v.business ? `Hello! I'm ${v.business}'s assistant. How can I help you?` : 'Hello! How can I help you?',
    thanks: () => "You're welcome! Anything else I can help with?",
    goodbye: () => 'Thanks for visiting, see you soon!',
    human: (v) =>
      v.contact
        ? `Of course. Someone from the team can take over: write or call us (${v.contact}).`
        : 'Of course. Someone from the team will take over as soon as possible.',
    abstain: (v) =>
      v.contact
        ? `I couldn't find a reliable answer to that. Would you like to talk to a person? You can also reach us directly (${v.contact}).`
        : "I couldn't find a reliable answer to that. Would you like to talk to a person?",
    failure: () => "Sorry, I'm having a technical problem. Could you rephrase or try again in a moment?",
    booking: (v) => `You can book a slot directly here: ${v.link}`,
    leadInvite: () =>
      'Happy to help! So that someone from the team can make you an offer, could you leave your name and your email or phone number?',
    leadThanks: (v) =>
      v.reach
        ? `Thank you! Noted: someone from the team will get back to you shortly (${v.reach}).`
        : 'Thank you! Noted: someone from the team will get back to you shortly.',
    empty: () => "I didn't quite get that. Could you tell me in a few words what you're looking for?",
    otherLanguage: () =>
      "Sorry, I can only answer in English or French. Désolé, je ne sais répondre qu'en anglais et en français. Would you like to talk to a person? Voulez-vous parler à un conseiller ?",
  },
};

/** The offline bot's canned sentences, in French or English. */
export function replyText(lang: Language, key: ReplyKey, variables: ReplyVariables = {}): string {
  return TEXTS[lang][key](variables);
}
