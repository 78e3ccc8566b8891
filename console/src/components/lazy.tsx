import type { ComponentType } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { useServices } from '../services.ts';

/** Renders a lazily loaded page: a status line while its chunk loads, an alert if it fails. */
export function Lazy({ load }: { load: () => Promise<{ default: ComponentType }> }) {
  const { t } = useServices().prefs;
  const [state, setState] = useState<{ page?: ComponentType; failed?: boolean }>({});
  useEffect(() => {
    let live = true;
    setState({});
    load().then(
      (module) => live && setState({ page: module.default }),
      () => live && setState({ failed: true }),
    );
    return () => {
      live = false;
    };
  }, [load]);
  if (state.failed) return <p role="alert">{t.somethingFailed}</p>;
  if (!state.page) return <p role="status">{t.loading}</p>;
  const Page = state.page;
  return <Page />;
}
