import { effect, signal } from '@preact/signals';
import { defaultLang, type Lang, strings } from './strings.ts';

export type Theme = 'system' | 'light' | 'dark';

const KEY = 'causette-console:preferences';

/**
 * The user's language and theme, kept in localStorage (only preferences live there, never a
 * token). Storage may be blocked: the console then follows the browser for this visit.
 */
export function createPreferences(languages: readonly string[] = navigator.languages) {
  const saved = read();
  const lang = signal<Lang>(saved.lang === 'fr' || saved.lang === 'en' ? saved.lang : defaultLang(languages));
  const theme = signal<Theme>(saved.theme === 'light' || saved.theme === 'dark' ? saved.theme : 'system');
  effect(() => {
    const root = document.documentElement;
    root.lang = lang.value;
    if (theme.value === 'system') delete root.dataset['theme'];
    else root.dataset['theme'] = theme.value;
    write({ lang: lang.value, theme: theme.value });
  });
  return {
    lang,
    theme,
    get t() {
      return strings[lang.value];
    },
  };
}

export type Preferences = ReturnType<typeof createPreferences>;

function read(): { lang?: unknown; theme?: unknown } {
  try {
    const parsed: unknown = JSON.parse(localStorage.getItem(KEY) ?? '{}');
    return typeof parsed === 'object' && parsed !== null ? parsed : {};
  } catch {
    return {};
  }
}

function write(value: { lang: Lang; theme: Theme }): void {
  try {
    localStorage.setItem(KEY, JSON.stringify(value));
  } catch {
    // Blocked storage: the choice lasts for this visit.
  }
}
