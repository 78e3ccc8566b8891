import type { CannedResponse } from '../../server/protocol/console-inbox.ts';

export interface CannedVariables {
  /** The contact's name; empty when unknown. */
  name: string;
  agent: string;
  business: string;
}

/** The `/shortcut` being typed just before the caret, if any: at a line's start or after a space. */
export function cannedQuery(text: string, caret: number): { start: number; prefix: string } | undefined {
  const match = /(^|\s)\/([a-z0-9_-]{0,32})$/.exec(text.slice(0, caret));
  if (!match) return undefined;
  return { start: match.index + match[1]!.length, prefix: match[2]! };
}

/** Responses whose shortcut starts with the prefix, exact match first. */
export function matchCanned(responses: readonly CannedResponse[], prefix: string): CannedResponse[] {
  return responses
    .filter((r) => r.shortcut.startsWith(prefix))
    .sort((a, b) => a.shortcut.length - b.shortcut.length || a.shortcut.localeCompare(b.shortcut))
    .slice(0, 8);
}

/** Fills `{{name}}`, `{{agent}}` and `{{business}}`; other braces stay as written. */
export function fillCanned(text: string, variables: CannedVariables): string {
  return text.replace(
    /\{\{\s*(name|agent|business)\s*\}\}/g,
    (_, key: keyof CannedVariables) => variables[key],
  );
}

/** The composer's text with `/prefix` replaced by the response, and where the caret goes. */
export function insertCanned(
  text: string,
  query: { start: number; prefix: string },
  filled: string,
): { text: string; caret: number } {
  const end = query.start + 1 + query.prefix.length;
  return { text: text.slice(0, query.start) + filled + text.slice(end), caret: query.start + filled.length };
}
