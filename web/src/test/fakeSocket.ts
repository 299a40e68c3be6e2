import { vi } from 'vitest';

type Listener = (...args: unknown[]) => void;

/**
 * Stands in for a socket.io-client Socket in tests: nothing goes on the network.
 * `serverEmit()` plays an event as if the server had sent it.
 */
export class FakeSocket {
  connected = false;
  active = true;
  private listeners = new Map<string, Set<Listener>>();
  private anyListeners = new Set<Listener>();
  emitted: { event: string; payload: unknown }[] = [];

  on(event: string, fn: Listener) {
    let set = this.listeners.get(event);
    if (set === undefined) {
      set = new Set();
      this.listeners.set(event, set);
    }
    set.add(fn);
    return this;
  }
  off(event: string, fn: Listener) {
    this.listeners.get(event)?.delete(fn);
    return this;
  }
  onAny(fn: Listener) {
    this.anyListeners.add(fn);
    return this;
  }
  removeAllListeners() {
    this.listeners.clear();
    this.anyListeners.clear();
    return this;
  }
  connect() {
    this.connected = true;
    this.fire('connect');
    return this;
  }
  disconnect() {
    this.connected = false;
    return this;
  }
  close() {
    return this.disconnect();
  }
  timeout() {
    return this;
  }
  emitWithAck(event: string, payload: unknown) {
    this.emitted.push({ event, payload });
    return Promise.resolve({ ok: true });
  }
  emit(event: string, payload: unknown) {
    this.emitted.push({ event, payload });
    return this;
  }
  /** A built-in event (`connect`, `disconnect`, …). */
  fire(event: string, ...args: unknown[]) {
    for (const fn of [...(this.listeners.get(event) ?? [])]) fn(...args);
  }
  /** A server event: goes to `onAny` listeners, as socket.io does. */
  serverEmit(event: string, payload: unknown) {
    for (const fn of [...this.anyListeners]) fn(event, payload);
    for (const fn of [...(this.listeners.get(event) ?? [])]) fn(payload);
  }
}

export const sockets: FakeSocket[] = [];

/** The socket the app opened most recently. */
export function lastSocket(): FakeSocket {
  const s = sockets[sockets.length - 1];
  if (s === undefined) throw new Error('the app has not opened a socket');
  return s;
}

export const fakeIo = vi.fn(() => {
  const s = new FakeSocket();
  sockets.push(s);
  return s;
});
