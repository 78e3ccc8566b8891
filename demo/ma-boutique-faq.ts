import type { FaqInput } from '../knowledge/faq/faq-store.ts';

/**
 * The demo shop's knowledge: every fact in French, with its English version under the same
 * group key.
 */
export const maBoutiqueFaq: FaqInput[] = [
  {
    groupKey: 'delivery-france',
    lang: 'fr',
    question: 'Quels sont les délais et les frais de livraison en France ?',
    answer:
      'En France métropolitaine, la livraison prend 3 à 5 jours ouvrés. Elle est gratuite dès 50 € d’achat, sinon elle coûte 4,90 €.',
  },
  {
    groupKey: 'delivery-france',
    lang: 'en',
    question: 'How long does delivery take in France and how much does it cost?',
    answer:
      'Delivery to mainland France takes 3 to 5 business days. It is free for orders from €50, otherwise it costs €4.90.',
  },
  {
    groupKey: 'delivery-europe',
    lang: 'fr',
    question: 'Livrez-vous en Europe ? Quels sont les délais et les frais ?',
    answer: 'Oui, nous livrons dans toute l’Europe en 5 à 8 jours ouvrés, pour 9,90 €.',
  },
  {
    groupKey: 'delivery-europe',
    lang: 'en',
    question: 'Do you deliver to Europe? How long does it take and what does it cost?',
    answer: 'Yes, we deliver across Europe in 5 to 8 business days, for €9.90.',
  },
  {
    groupKey: 'delivery-express',
    lang: 'fr',
    question: 'Proposez-vous la livraison express en 24h ?',
    answer: 'Oui, la livraison express le lendemain est disponible en France pour 12 €.',
  },
  {
    groupKey: 'delivery-express',
    lang: 'en',
    question: 'Do you offer express next-day delivery?',
    answer: 'Yes, express next-day delivery is available in France for €12.',
  },
  {
    groupKey: 'returns',
    lang: 'fr',
    question: 'Comment retourner un article ? Quelle est la politique de retour et de remboursement ?',
    answer:
      'Vous avez 30 jours après réception pour nous retourner un article non porté, avec ses étiquettes. Le retour est gratuit en France grâce à l’étiquette prépayée. Le remboursement arrive 5 à 7 jours après la réception du retour.',
  },
  {
    groupKey: 'returns',
    lang: 'en',
    question: 'How do I return an item? What is your returns and refund policy?',
    answer:
      'You have 30 days from receipt to return an unworn item with its tags. Return shipping in France is free with our prepaid label. Refunds arrive 5 to 7 days after we receive the return.',
  },
  {
    groupKey: 'exchange',
    lang: 'fr',
    question: 'Puis-je échanger un article pour une autre taille ?',
    answer: 'Oui, l’échange de taille est gratuit. Faites la demande dans les 30 jours suivant la réception.',
  },
  {
    groupKey: 'exchange',
    lang: 'en',
    question: 'Can I exchange an item for another size?',
    answer: 'Yes, size exchanges are free. Ask for one within 30 days of receipt.',
  },
  {
    groupKey: 'shop',
    lang: 'fr',
    question: 'Où se trouve la boutique et quels sont ses horaires d’ouverture ?',
    answer:
      'Notre boutique se trouve au 12 rue des Martyrs, 75009 Paris. Elle est ouverte du mardi au samedi de 10h à 19h, et fermée le dimanche et le lundi.',
  },
  {
    groupKey: 'shop',
    lang: 'en',
    question: 'Where is the shop and what are its opening hours?',
    answer:
      'Our shop is at 12 rue des Martyrs, 75009 Paris. It is open Tuesday to Saturday from 10:00 to 19:00, and closed on Sunday and Monday.',
  },
  {
    groupKey: 'customer-service',
    lang: 'fr',
    question: 'Quand le service client est-il joignable ?',
    answer: 'Le service client répond du lundi au vendredi, de 9h à 18h.',
  },
  {
    groupKey: 'customer-service',
    lang: 'en',
    question: 'When is customer service available?',
    answer: 'Customer service answers Monday to Friday, 9:00 to 18:00.',
  },
  {
    groupKey: 'payment',
    lang: 'fr',
    question: 'Quels moyens de paiement acceptez-vous ? Peut-on payer en plusieurs fois ?',
    answer:
      'Nous acceptons la carte bancaire, PayPal et Apple Pay. Le paiement en 3 fois sans frais est possible dès 100 € d’achat.',
  },
  {
    groupKey: 'payment',
    lang: 'en',
    question: 'Which payment methods do you accept? Can I pay in instalments?',
    answer: 'We accept card, PayPal and Apple Pay. You can pay in 3 instalments with no fees from €100.',
  },
  {
    groupKey: 'sizes',
    lang: 'fr',
    question: 'Quelles tailles proposez-vous ? Avez-vous un guide des tailles ?',
    answer: 'Nos vêtements vont du XS au XL. Un guide des tailles est disponible sur chaque fiche produit.',
  },
  {
    groupKey: 'sizes',
    lang: 'en',
    question: 'What sizes do you offer? Is there a size guide?',
    answer: 'Our clothes come in sizes XS to XL. A size guide is available on every product page.',
  },
  {
    groupKey: 'gift-cards',
    lang: 'fr',
    question: 'Vendez-vous des cartes cadeaux ?',
    answer: 'Oui, nos cartes cadeaux vont de 25 € à 200 € et sont valables un an.',
  },
  {
    groupKey: 'gift-cards',
    lang: 'en',
    question: 'Do you sell gift cards?',
    answer: 'Yes, our gift cards range from €25 to €200 and are valid for one year.',
  },
  {
    groupKey: 'tracking',
    lang: 'fr',
    question: 'Comment suivre ma commande ?',
    answer:
      'Un lien de suivi vous est envoyé par e-mail dès l’expédition. Votre numéro de commande commence par « MB- ».',
  },
  {
    groupKey: 'tracking',
    lang: 'en',
    question: 'How can I track my order?',
    answer:
      'A tracking link is sent to you by email as soon as your order ships. Order numbers start with "MB-".',
  },
  {
    groupKey: 'contact',
    lang: 'fr',
    question: 'Comment contacter Ma Boutique ?',
    answer: 'Écrivez-nous à support@ma-boutique.com ou appelez le +33 1 23 45 67 89.',
  },
  {
    groupKey: 'contact',
    lang: 'en',
    question: 'How can I contact Ma Boutique?',
    answer: 'Email us at support@ma-boutique.com or call +33 1 23 45 67 89.',
  },
];
