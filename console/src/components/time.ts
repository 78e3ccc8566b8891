import type { Lang } from '../strings.ts';

const formats = new Map<string, Intl.DateTimeFormat>();

function format(lang: Lang, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `${lang}:${JSON.stringify(options)}`;
  let found = formats.get(key);
  if (!found) {
    found = new Intl.DateTimeFormat(lang, options);
    formats.set(key, found);
  }
  return found;
}

/** Today: the time; this year: day and month; before: the date. */
export function formatTime(iso: string, lang: Lang, now = new Date()): string {
  const at = new Date(iso);
  if (at.toDateString() === now.toDateString())
    return format(lang, { hour: '2-digit', minute: '2-digit' }).format(at);
  if (at.getFullYear() === now.getFullYear())
    return format(lang, { day: 'numeric', month: 'short' }).format(at);
  return format(lang, { dateStyle: 'short' }).format(at);
}

export function formatDateTime(iso: string, lang: Lang): string {
  return format(lang, { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(iso));
}
