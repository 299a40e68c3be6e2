import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createWorkerTimers } from './index';

/** A Worker that runs the commands with the (fake) timers, or fails to start. */
class FakeWorker {
  static fail = false;
  onmessage: ((e: MessageEvent<number>) => void) | null = null;
  onerror: ((e: Event) => void) | null = null;
  private handles = new Map<number, ReturnType<typeof setTimeout>>();
  constructor() {
    if (FakeWorker.fail) {
      setTimeout(() => this.onerror?.(new Event('error')), 0);
    }
  }
  postMessage({ op, id, kind, delay }: { op: string; id: number; kind: string; delay: number }) {
    if (FakeWorker.fail) return;
    if (op === 'set') {
      const fire = () => this.onmessage?.({ data: id } as MessageEvent<number>);
      this.handles.set(id, kind === 'timeout' ? setTimeout(fire, delay) : setInterval(fire, delay));
    } else {
      clearTimeout(this.handles.get(id));
      clearInterval(this.handles.get(id));
    }
  }
  terminate() {}
}

beforeEach(() => {
  vi.useFakeTimers();
  vi.stubGlobal('Worker', FakeWorker);
});
afterEach(() => {
  FakeWorker.fail = false;
  vi.unstubAllGlobals();
  vi.useRealTimers();
});

describe('createWorkerTimers', () => {
  it('runs timeouts and intervals through the worker, and clears them', () => {
    const timers = createWorkerTimers();
    if (timers === undefined) throw new Error('no timers');
    const once = vi.fn();
    const every = vi.fn();
    timers.setTimeout(once, 1_000);
    const id = timers.setInterval(every, 300);
    vi.advanceTimersByTime(1_000);
    expect(once).toHaveBeenCalledTimes(1);
    expect(every).toHaveBeenCalledTimes(3);
    timers.clearInterval(id);
    vi.advanceTimersByTime(1_000);
    expect(every).toHaveBeenCalledTimes(3);
  });

  it('falls back to main-thread timers when the worker cannot start (e.g. blocked by the CSP)', () => {
    FakeWorker.fail = true;
    const timers = createWorkerTimers();
    if (timers === undefined) throw new Error('no timers');
    const before = vi.fn();
    timers.setTimeout(before, 500);
    vi.advanceTimersByTime(1);
    const after = vi.fn();
    timers.setTimeout(after, 500);
    vi.advanceTimersByTime(600);
    expect(before).toHaveBeenCalledTimes(1);
    expect(after).toHaveBeenCalledTimes(1);
  });
});
