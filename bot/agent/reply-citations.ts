import type { Citation } from '../../knowledge/retrieve/retrieval-hit.ts';
import type { ShownPassage } from './tools/turn-scope.ts';

/**
 * The sources of a reply: the passages it cites by marker, renumbered in order of first citation
 * so that "[1]" in the text is the first citation shown. Markers of passages never shown are
 * removed (a model inventing sources). A reply that cites nothing but was written after a search
 * is credited to the best passage found.
 */
export function citeShownPassages(
  text: string,
  shown: readonly ShownPassage[],
): { text: string; citations: Citation[]; passages: ShownPassage[] } {
  const order: ShownPassage[] = [];
  const renumbered = text.replace(/\s?\[(\d{1,3})\]/g, (match, digits: string) => {
    const passage = shown.find((p) => p.marker === Number(digits));
    if (!passage) return '';
    let index = order.indexOf(passage);
    if (index < 0) index = order.push(passage) - 1;
    return match.replace(digits, String(index + 1));
  });
  if (order.length === 0 && shown.length > 0) {
    const best = shown.reduce((a, b) => (b.score > a.score ? b : a));
    return { text: renumbered, citations: [best.citation], passages: [best] };
  }
  return { text: renumbered, citations: order.map((p) => p.citation), passages: order };
}
