/**
 * How positive or negative a customer's message is, from -1 (furious) to 1 (delighted), in French
 * or English, without a model: a valence lexicon in the manner of AFINN and VADER, with negation
 * ("pas content", "not happy"), intensifiers ("très", "really"), capitals and exclamation marks.
 * It only has to tell a calm question from an angry message, which word lists do reliably.
 */
export function sentimentScore(text: string): number {
  const words = plainWords(text);
  let total = 0;
  for (let i = 0; i < words.length; i += 1) {
    const word = words[i]!;
    const phrase = i + 1 < words.length ? `${word} ${words[i + 1]}` : '';
    let valence = LEXICON.get(phrase) ?? LEXICON.get(word);
    if (valence === undefined) continue;
    const before = words.slice(Math.max(0, i - 3), i);
    if (LEXICON.has(phrase)) i += 1;
    if (before.some((w) => INTENSIFIERS.has(w))) valence *= 1.5;
    // "pas content" / "not happy" flip; "pas mal" is a compliment, which the flip also gives.
    if (before.some((w) => NEGATIONS.has(w))) valence *= -0.75;
    total += valence;
  }
  for (const symbol of text.match(/\p{Extended_Pictographic}/gu) ?? []) total += EMOJI.get(symbol) ?? 0;
  if (total !== 0) {
    const exclamations = Math.min(4, (text.match(/!/g) ?? []).length);
    const shouting = (text.match(/\b[A-ZÀ-Ý]{4,}\b/g) ?? []).length > 0 ? 1.25 : 1;
    total = (total + Math.sign(total) * exclamations * 0.3) * shouting;
  }
  // VADER's normalisation: bounded in (-1, 1), steep around 0, flat at the ends.
  return Math.round((total / Math.sqrt(total * total + 15)) * 1000) / 1000;
}

function plainWords(text: string): string[] {
  return (
    text
      .normalize('NFKD')
      .replace(/\p{M}+/gu, '')
      .toLowerCase()
      .replace(/n't\b/g, ' not')
      .match(/[a-z]+/g) ?? []
  );
}

const NEGATIONS = new Set([
  'pas',
  'jamais',
  'plus',
  'aucun',
  'aucune',
  'not',
  'never',
  'no',
  'nor',
  'without',
  'sans',
  'ni',
]);
const INTENSIFIERS = new Set([
  'tres',
  'vraiment',
  'trop',
  'tellement',
  'completement',
  'totalement',
  'extremement',
  'super',
  'hyper',
  'very',
  'really',
  'so',
  'extremely',
  'totally',
  'completely',
  'absolutely',
  'utterly',
  'too',
]);

const WORDS: [number, string][] = [
  [
    -4,
    'scandaleux scandaleuse inadmissible inacceptable honteux honteuse escroc escrocs arnaque arnaqueurs voleurs voleur degoutant degoutee degoute nul nulle pourri lamentable catastrophique horrible furieux furieuse',
  ],
  [
    -4,
    'outrageous unacceptable disgusting scam scammers fraud thieves furious horrible terrible awful pathetic useless worst ridiculous shameful disgrace',
  ],
  [
    -3,
    'mecontent mecontente decu decue decevant decevante colere enerve enervee fache fachee marre inutile incompetent incompetents honte abuse mensonge menteurs pire galere insupportable',
  ],
  [
    -3,
    'angry annoyed disappointed disappointing incompetent liar liars lied hate hated sick unhappy upset fed broken rubbish garbage nightmare',
  ],
  [
    -2,
    'probleme problemes casse cassee abime abimee defectueux defectueuse retard erreur plainte reclamation lent lente jamais recu perdu perdue triste dommage',
  ],
  [
    -2,
    'problem problems damaged defective late delay error complaint slow lost sad wrong missing faulty poor bad',
  ],
  [-1, 'attente attendre toujours encore relance relancer'],
  [-1, 'waiting still again chasing'],
  [2, 'merci bien bon bonne content contente satisfait satisfaite rapide pratique sympa agreable cool'],
  [2, 'thanks thank good nice happy satisfied fast quick helpful pleased cool glad'],
  [3, 'super genial parfait excellent excellente ravi ravie adore top bravo formidable'],
  [3, 'great perfect excellent love loved awesome amazing fantastic wonderful brilliant delighted'],
];
const PHRASES: [number, string][] = [
  [-3, 'en a marre|en ai marre|pas normal|se moque|se moquer|foutez du'],
  [-3, 'fed up|rip off|ripped off|worst ever|not acceptable|never again'],
  [2, 'pas mal'],
];
const LEXICON = new Map<string, number>([
  ...WORDS.flatMap(([value, words]) => words.split(' ').map((w): [string, number] => [w, value])),
  ...PHRASES.flatMap(([value, phrases]) => phrases.split('|').map((p): [string, number] => [p, value])),
]);
const EMOJI = new Map<string, number>([
  ['😡', -3],
  ['🤬', -4],
  ['😠', -3],
  ['😤', -2],
  ['😞', -2],
  ['😢', -2],
  ['😭', -2],
  ['👎', -2],
  ['💩', -2],
  ['🙂', 1],
  ['😀', 2],
  ['😃', 2],
  ['😊', 2],
  ['😍', 3],
  ['👍', 2],
  ['🙏', 1],
  ['❤', 3],
  ['🥰', 3],
  ['🎉', 2],
]);
