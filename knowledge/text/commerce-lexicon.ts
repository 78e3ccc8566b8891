/**
 * How customers of a shop name what they ask about, in French and English: each concept with
 * its synonyms and closely related words, written as customers write them. Terms are matched on
 * their Snowball stems (see stem-word.ts), so one form of a word stands for its inflections; a
 * term of several words matches those words in a row.
 *
 * A subject is what a question is about (delivery, returns, the shop's hours); an aspect is what
 * it asks of it (a price, a duration). A question with an aspect and no subject of its own is
 * read as a follow-up of the previous one ("et c'est payant ?").
 */
export interface ConceptDefinition {
  name: string;
  kind: 'subject' | 'aspect';
  fr: readonly string[];
  en: readonly string[];
  /** Subjects this one implies: asking about express delivery is asking about delivery. */
  implies?: readonly string[];
  /**
   * Words a passage about it uses, looked for when the question names it in other words; its
   * terms of one word count too. Words of longer terms only when listed here ("gift", not "card").
   */
  keywords?: readonly string[];
}

export const COMMERCE_LEXICON: readonly ConceptDefinition[] = [
  {
    name: 'delivery',
    kind: 'subject',
    fr: [
      'livraison',
      'livrer',
      'livreur',
      'expédition',
      'expédier',
      'expédie',
      'envoi',
      'envoyer',
      'acheminement',
      'transporteur',
      'colis',
      'recevoir ma commande',
      'reçois ma commande',
      'recevoir mon colis',
      'être livré',
    ],
    en: [
      'delivery',
      'deliver',
      'shipping',
      'ship',
      'dispatch',
      'postage',
      'carrier',
      'courier',
      'parcel',
      'package',
      'get my order',
      'receive my order',
    ],
  },
  {
    name: 'delivery_cost',
    keywords: ['frais', 'port', 'livraison', 'shipping', 'delivery', 'cost'],
    kind: 'subject',
    implies: ['delivery', 'price'],
    fr: ['frais de port', 'frais de livraison', "frais d'envoi", 'port offert', 'port gratuit'],
    en: [
      'shipping cost',
      'shipping costs',
      'shipping fee',
      'delivery charge',
      'delivery cost',
      'postage cost',
    ],
  },
  {
    name: 'delivery_time',
    keywords: ['délai', 'délais', 'livraison', 'delivery', 'shipping'],
    kind: 'subject',
    implies: ['delivery', 'duration'],
    fr: ['délai de livraison', 'délais de livraison', "délai d'expédition", 'délais de livraisons'],
    en: ['lead time', 'delivery time', 'shipping time', 'delivery times'],
  },
  {
    name: 'express',
    keywords: ['lendemain', 'rapide', 'chronopost', 'next-day'],
    kind: 'subject',
    implies: ['delivery'],
    fr: ['express', 'livraison rapide', 'en 24h', 'en 24 h', 'le lendemain', 'pour demain', 'chronopost'],
    en: ['express', 'next day', 'next-day', 'overnight', 'fast delivery', 'fast shipping', 'by tomorrow'],
  },
  {
    name: 'returns',
    keywords: ['retour', 'retourner', 'return', 'returns'],
    kind: 'subject',
    fr: ['retour', 'retourner', 'renvoyer', 'rendre', 'renvoi', 'rapporter', 'me va pas', 'ne convient pas'],
    en: [
      'return',
      'send back',
      'send it back',
      'send them back',
      'send something back',
      'take back',
      'bring back',
      "doesn't fit",
      'does not fit',
    ],
  },
  {
    name: 'refund',
    keywords: ['remboursement', 'refund', 'refunds'],
    kind: 'subject',
    fr: ['remboursement', 'rembourser', 'remboursé', 'récupérer mon argent'],
    en: ['refund', 'reimburse', 'money back', 'reimbursement'],
  },
  {
    name: 'exchange',
    keywords: ['échange', 'échanger', 'exchange'],
    kind: 'subject',
    fr: ['échange', 'échanger', 'changer de taille', 'changer la taille', 'autre taille', 'taille au-dessus'],
    en: ['exchange', 'swap', 'different size', 'another size', 'change the size', 'change size'],
  },
  {
    name: 'tracking',
    keywords: ['suivi', 'tracking', 'track'],
    kind: 'subject',
    fr: ['suivi', 'suivre', 'numéro de suivi', 'où en est', 'où est mon colis', 'où est ma commande'],
    en: ['tracking', 'track', 'follow my parcel', 'where is my order', 'where is my parcel', 'order status'],
  },
  {
    name: 'payment',
    keywords: ['carte', 'card', 'instalments', 'fois'],
    kind: 'subject',
    fr: [
      'paiement',
      'payer',
      'régler',
      'règlement',
      'carte bancaire',
      'carte bleue',
      'carte de crédit',
      'paypal',
      'apple pay',
      'virement',
      'chèque',
      'espèces',
      'plusieurs fois',
      'en 3 fois',
      'en trois fois',
      'mensualités',
    ],
    en: [
      'payment',
      'pay',
      'credit card',
      'debit card',
      'card',
      'paypal',
      'apple pay',
      'cash',
      'instalments',
      'installments',
      'instalment',
      'installment',
      'bank transfer',
    ],
  },
  {
    name: 'sizes',
    keywords: ['guide'],
    kind: 'subject',
    fr: ['taille', 'tailles', 'pointure', 'mensurations', 'guide des tailles', 'taillent', 'quelle taille'],
    en: ['size', 'sizes', 'sizing', 'size guide', 'size chart', 'fit', 'measurements'],
  },
  {
    name: 'gift_card',
    keywords: ['cadeau', 'cadeaux', 'gift', 'voucher'],
    kind: 'subject',
    fr: ['carte cadeau', 'cartes cadeaux', 'bon cadeau', 'bons cadeaux', "bon d'achat", 'chèque cadeau'],
    en: ['gift card', 'gift cards', 'gift voucher', 'gift certificate', 'voucher'],
  },
  {
    name: 'opening_hours',
    kind: 'subject',
    fr: [
      'horaires',
      'horaire',
      'ouvert',
      'ouverts',
      'ouverture',
      'ouvrez',
      'fermé',
      'fermez',
      'fermeture',
      'heures',
    ],
    en: ['opening hours', 'hours', 'open', 'opening', 'close', 'closed', 'closing'],
  },
  {
    name: 'customer_service',
    keywords: ['service', 'client', 'customer'],
    kind: 'subject',
    fr: ['service client', 'service clients', 'sav', 'support', 'conseiller', 'conseillers'],
    en: ['customer service', 'customer support', 'support', 'help desk', 'customer care'],
  },
  {
    name: 'phone',
    keywords: ['numéro', 'number'],
    kind: 'subject',
    implies: ['contact'],
    fr: ['téléphone', 'appeler', 'appelle', 'téléphoner', 'numéro de téléphone', 'tél', 'par téléphone'],
    en: ['phone', 'call', 'phone number', 'telephone', 'ring', 'give you a call'],
  },
  {
    name: 'email',
    keywords: ['adresse', 'address'],
    kind: 'subject',
    implies: ['contact'],
    fr: ['mail', 'e-mail', 'email', 'courriel', 'adresse mail', 'adresse e-mail', 'mél'],
    en: ['email', 'e-mail', 'mail', 'email address'],
  },
  {
    name: 'contact',
    kind: 'subject',
    fr: ['contact', 'contacter', 'joindre', 'écrire', 'vous écrire', 'coordonnées'],
    en: ['contact', 'reach', 'get in touch', 'write to you', 'contact details'],
  },
  {
    name: 'address',
    kind: 'subject',
    fr: ['adresse', 'se trouve', 'situé', 'située', 'où êtes-vous', 'localisation'],
    en: ['address', 'located', 'location', 'where are you'],
  },
  {
    name: 'shop',
    kind: 'subject',
    fr: ['boutique', 'magasin', 'showroom'],
    en: ['shop', 'store', 'showroom'],
  },
  {
    name: 'price',
    keywords: ['coûte'],
    kind: 'aspect',
    fr: [
      'prix',
      'tarif',
      'coût',
      'coûte',
      'frais',
      'payant',
      'payante',
      'gratuit',
      'gratuite',
      'cher',
      'combien ça coûte',
    ],
    en: ['price', 'cost', 'costs', 'fee', 'fees', 'charge', 'free', 'how much', 'expensive'],
  },
  {
    name: 'duration',
    keywords: ['jours', 'days', 'temps'],
    kind: 'aspect',
    fr: ['délai', 'délais', 'durée', 'combien de temps', 'combien de jours', 'en combien de jours'],
    en: ['how long', 'how many days', 'how fast', 'how quickly', 'how soon'],
  },
  {
    name: 'validity',
    kind: 'aspect',
    fr: ['valable', 'validité', 'expire', 'expiration'],
    en: ['valid', 'validity', 'expire', 'expiry'],
  },
];
