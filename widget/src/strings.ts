import type { Lang } from './contract.ts';

const fr = {
  lang: 'fr' as Lang,
  close: 'Fermer le chat',
  input: 'Votre message',
  send: 'Envoyer',
  placeholder: 'Posez votre question…',
  greeting: 'Bonjour ! Comment pouvons-nous vous aider ?',
  typing: 'En train d’écrire…',
  source: 'Source',
  connecting: 'Connexion…',
  offline: 'Hors ligne. Vos messages partiront dès le retour de la connexion.',
  retry: 'Réessayer maintenant',
  messages: 'Conversation',
  you: 'Vous',
  bot: 'Assistant',
  agent: 'Conseiller',
  queued: 'En attente',
  sending: 'Envoi…',
  sent: 'Envoyé',
  failed: 'Non envoyé',
  resend: 'Renvoyer',
  online: 'Notre équipe est en ligne',
  away: 'L’assistant vous répond ; notre équipe revient',
  instant: 'L’assistant répond tout de suite',
  refused: 'Nous n’avons pas pu vérifier votre compte ; vous discutez en invité.',
  days: ['dim.', 'lun.', 'mar.', 'mer.', 'jeu.', 'ven.', 'sam.'],
};

export type Strings = typeof fr;

const en: Strings = {
  lang: 'en',
  close: 'Close chat',
  input: 'Your message',
  send: 'Send',
  placeholder: 'Ask your question…',
  greeting: 'Hello! How can we help you?',
  typing: 'Typing…',
  source: 'Source',
  connecting: 'Connecting…',
  offline: 'Offline. Your messages will be sent when the connection is back.',
  retry: 'Retry now',
  messages: 'Conversation',
  you: 'You',
  bot: 'Assistant',
  agent: 'Agent',
  queued: 'Waiting',
  sending: 'Sending…',
  sent: 'Sent',
  failed: 'Not sent',
  resend: 'Send again',
  online: 'Our team is online',
  away: 'The assistant answers now; our team is back',
  instant: 'The assistant answers right away',
  refused: 'We could not verify your account; you are chatting as a guest.',
  days: ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'],
};

export function strings(lang: Lang): Strings {
  return lang === 'fr' ? fr : en;
}
