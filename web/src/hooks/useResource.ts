/** Loads something once per key (and again on reload), with loading/error state and abort on change. */
import { useCallback, useEffect, useState } from 'react';

export interface Resource<T> {
  data: T | null;
  error: Error | null;
  loading: boolean;
  reload: () => void;
}

interface Settled<T> {
  key: string;
  generation: number;
  data: T | null;
  error: Error | null;
}

export function useResource<T>(key: string, load: (signal: AbortSignal) => Promise<T>): Resource<T> {
  const [settled, setSettled] = useState<Settled<T> | null>(null);
  const [generation, setGeneration] = useState(0);
  const reload = useCallback(() => setGeneration((g) => g + 1), []);

  useEffect(() => {
    const controller = new AbortController();
    load(controller.signal).then(
      (data) => setSettled({ key, generation, data, error: null }),
      (error: unknown) => {
        if (controller.signal.aborted) return;
        setSettled({ key, generation, data: null, error: error instanceof Error ? error : new Error(String(error)) });
      },
    );
    return () => controller.abort();
    // `load` is keyed by `key`: callers pass a new key when what they load changes.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key, generation]);

  const sameKey = settled?.key === key;
  const current = sameKey && settled.generation === generation;
  // While reloading the same key, the previous data stays on screen.
  return { data: sameKey ? settled.data : null, error: current ? settled.error : null, loading: !current, reload };
}
