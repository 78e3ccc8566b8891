import type { PublicWidgetConfig } from '../../server/protocol/widget-config.ts';
import type { Strings } from './strings.ts';

/**
 * The tenant's greeting, unless it is written in another language than the visitor's (a bilingual
 * tenant greets in one of them): then the widget's own, in the visitor's.
 */
export function greetingOf(
  config: Pick<PublicWidgetConfig, 'greeting' | 'greetingLang'>,
  t: Strings,
): string {
  return config.greeting && (!config.greetingLang || config.greetingLang === t.lang)
    ? config.greeting
    : t.greeting;
}
