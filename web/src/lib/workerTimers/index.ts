import type { ITimers } from 'react-idle-timer';

interface Timer {
  fn: () => void;
  kind: 'timeout' | 'interval';
  delay: number;
  /** Set once the timer runs on the main thread (the worker failed). */
  local?: ReturnType<typeof setTimeout>;
}

/**
 * Timers for react-idle-timer that run in our own worker (`worker.ts`). Its
 * bundled `workerTimers` start a worker from a blob: URL, which a strict CSP blocks,
 * and then never fire. If the worker cannot start, every timer falls back to the main
 * thread, so idle detection degrades (slower in background tabs) instead of stopping.
 */
export function createWorkerTimers(): ITimers | undefined {
  if (typeof Worker === 'undefined') return undefined;
  let worker: Worker | null;
  try {
    worker = new Worker(new URL('./worker.ts', import.meta.url), { type: 'module', name: 'atende-idle-timers' });
  } catch {
    return undefined;
  }
  const timers = new Map<number, Timer>();
  let next = 1;

  const runLocally = (id: number, t: Timer) => {
    const fire = () => {
      if (t.kind === 'timeout') timers.delete(id);
      t.fn();
    };
    t.local = t.kind === 'timeout' ? setTimeout(fire, t.delay) : setInterval(fire, t.delay);
  };

  worker.onmessage = (e: MessageEvent<number>) => {
    const t = timers.get(e.data);
    if (t === undefined) return;
    if (t.kind === 'timeout') timers.delete(e.data);
    t.fn();
  };
  worker.onerror = (e) => {
    e.preventDefault();
    worker?.terminate();
    worker = null;
    for (const [id, t] of timers) runLocally(id, t);
  };

  const set = (kind: Timer['kind'], fn: () => void, delay: number): number => {
    const id = next++;
    const t: Timer = { fn, kind, delay };
    timers.set(id, t);
    if (worker === null) runLocally(id, t);
    else worker.postMessage({ op: 'set', id, kind, delay });
    return id;
  };
  const clear = (id: number) => {
    const t = timers.get(id);
    timers.delete(id);
    if (t?.local !== undefined) {
      clearTimeout(t.local);
      clearInterval(t.local);
    }
    worker?.postMessage({ op: 'clear', id, kind: 'timeout', delay: 0 });
  };

  return {
    setTimeout: (fn, delay) => set('timeout', fn, delay),
    clearTimeout: clear,
    setInterval: (fn, delay) => set('interval', fn, delay),
    clearInterval: clear,
  };
}
