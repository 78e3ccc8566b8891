import { useCallback, useEffect, useState } from 'preact/hooks';

/** A read the page shows, with its error, and a way to read it again after a change. */
export function useLoad<T>(read: () => Promise<T>): {
  data: T | undefined;
  error: string | null;
  reload: () => void;
} {
  const [data, setData] = useState<T | undefined>();
  const [error, setError] = useState<string | null>(null);
  const reload = useCallback(() => {
    read().then(
      (value) => {
        setData(value);
        setError(null);
      },
      (failure: unknown) => setError(failure instanceof Error ? failure.message : String(failure)),
    );
  }, []);
  useEffect(reload, []);
  return { data, error, reload };
}
