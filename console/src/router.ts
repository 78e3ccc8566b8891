import { signal } from '@preact/signals';
import { formatRoute, parseRoute, type Route } from './routes.ts';

/**
 * The URL as a signal: the view, the filters and the open conversation live in it, so a reload
 * or a shared link shows the same screen, and Back goes back.
 */
export function createRouter(win: Window = window) {
  const route = signal<Route>(parseRoute(new URL(win.location.href)));
  win.addEventListener('popstate', () => {
    route.value = parseRoute(new URL(win.location.href));
  });
  return {
    route,
    navigate(next: Route, options: { replace?: boolean } = {}) {
      const href = formatRoute(next);
      if (options.replace) win.history.replaceState(null, '', href);
      else win.history.pushState(null, '', href);
      route.value = parseRoute(new URL(win.location.href));
    },
    /** For links: a plain click navigates in place; a modified click opens a tab as usual. */
    follow(event: MouseEvent, next: Route) {
      if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
      event.preventDefault();
      this.navigate(next);
    },
  };
}

export type Router = ReturnType<typeof createRouter>;
