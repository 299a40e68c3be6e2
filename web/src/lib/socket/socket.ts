import { io, type Socket } from 'socket.io-client';
import { create } from 'zustand';
import type { components } from '@/lib/api/schema';
import { env } from '@/lib/env';

/**
 * idle: not started (signed out); connecting: first attempt; connected; reconnecting:
 * lost and trying again with back-off; offline: the browser says there is no network.
 */
export type ConnectionStatus = 'idle' | 'connecting' | 'connected' | 'reconnecting' | 'offline';

interface ConnectionState {
  status: ConnectionStatus;
  /** Failed attempts since the connection was last up. */
  attempts: number;
}

/** The realtime connection's state, for the indicator in the shell. */
export const useConnection = create<ConnectionState>()(() => ({ status: 'idle', attempts: 0 }));

/**
 * The events the server emits and their payloads: the `SocketEvents` schema of the
 * server's OpenAPI document (generated into schema.d.ts, so both sides share one contract).
 */
export type SocketEvents = components['schemas']['SocketEvents'];
export type SocketEventName = keyof SocketEvents;

type Handler = (payload: unknown) => void;

const handlers = new Map<string, Set<Handler>>();
const reconnectHandlers = new Set<() => void>();
let socket: Socket | null = null;
let wasConnected = false;

/**
 * Listens to a server event (`new_message`, …). Handlers are kept across reconnects
 * and across `connectSocket()` calls; returns the unsubscribe function.
 */
export function onSocketEvent<E extends SocketEventName>(
  event: E,
  handler: (payload: SocketEvents[E]) => void,
): () => void {
  let set = handlers.get(event);
  if (set === undefined) {
    set = new Set();
    handlers.set(event, set);
  }
  // Payloads arrive untyped off the wire; the server's contract types them.
  const untyped = handler as Handler;
  set.add(untyped);
  return () => {
    set.delete(untyped);
  };
}

/**
 * Called after the connection comes back from a drop (not on the first connect):
 * refetch what may have been missed and join rooms again.
 */
export function onReconnect(handler: () => void): () => void {
  reconnectHandlers.add(handler);
  return () => {
    reconnectHandlers.delete(handler);
  };
}

/** Delivers an event to the handlers, as if the server had sent it (the socket and tests use it). */
export function dispatchSocketEvent(event: string, payload: unknown): void {
  const set = handlers.get(event);
  if (set === undefined) return;
  for (const handler of [...set]) {
    try {
      handler(payload);
    } catch (err) {
      console.error(`socket handler for ${event} failed`, err);
    }
  }
}

/** Runs the reconnect handlers (the socket and tests use it). */
export function dispatchReconnect(): void {
  for (const handler of [...reconnectHandlers]) handler();
}

/** Back-off of the reconnection attempts: 1 s doubling up to 20 s, ±50 % jitter. */
export const RECONNECT = { delay: 1_000, delayMax: 20_000, randomizationFactor: 0.5 } as const;

/**
 * Opens the Socket.IO connection (same origin; the HttpOnly session cookie
 * authenticates the handshake). Safe to call again: one connection at a time.
 */
export function connectSocket(): Socket {
  if (socket !== null) return socket;
  wasConnected = false;
  const s = io(env.VITE_API_BASE_URL || undefined, {
    path: '/socket.io/',
    withCredentials: true,
    reconnection: true,
    reconnectionDelay: RECONNECT.delay,
    reconnectionDelayMax: RECONNECT.delayMax,
    randomizationFactor: RECONNECT.randomizationFactor,
    timeout: 10_000,
  });
  socket = s;
  useConnection.setState({ status: 'connecting', attempts: 0 });

  s.on('connect', () => {
    useConnection.setState({ status: 'connected', attempts: 0 });
    if (wasConnected) dispatchReconnect();
    wasConnected = true;
  });
  s.on('disconnect', (reason) => {
    // The server refused us (session ended): stay down until the app connects again.
    if (reason === 'io server disconnect') {
      useConnection.setState({ status: 'reconnecting' });
      scheduleManualRetry(s, 1);
      return;
    }
    useConnection.setState({ status: navigator.onLine ? 'reconnecting' : 'offline' });
  });
  s.on('connect_error', () => {
    const { attempts } = useConnection.getState();
    useConnection.setState({
      status: navigator.onLine ? (wasConnected ? 'reconnecting' : 'connecting') : 'offline',
      attempts: attempts + 1,
    });
    // A refused handshake (e.g. 'unauthorized') stops socket.io's own retries: keep trying
    // with our back-off, so a flaky login or server restart heals by itself.
    if (!s.active) scheduleManualRetry(s, attempts + 1);
  });
  s.onAny((event: string, payload: unknown) => {
    dispatchSocketEvent(event, payload);
  });
  window.addEventListener('online', onOnline);
  window.addEventListener('offline', onOffline);
  return s;
}

function onOnline() {
  if (socket !== null && !socket.connected) {
    useConnection.setState({ status: 'reconnecting' });
    socket.connect();
  }
}

function onOffline() {
  if (socket !== null) useConnection.setState({ status: 'offline' });
}

let retryTimer: ReturnType<typeof setTimeout> | null = null;

function scheduleManualRetry(s: Socket, attempt: number) {
  if (retryTimer !== null) return;
  const base = Math.min(RECONNECT.delayMax, RECONNECT.delay * 2 ** Math.min(attempt, 10));
  const jitter = base * RECONNECT.randomizationFactor * (Math.random() * 2 - 1);
  retryTimer = setTimeout(() => {
    retryTimer = null;
    if (socket === s && !s.connected) s.connect();
  }, base + jitter);
}

/** Closes the connection (logout, leaving the signed-in area). */
export function disconnectSocket(): void {
  if (retryTimer !== null) {
    clearTimeout(retryTimer);
    retryTimer = null;
  }
  window.removeEventListener('online', onOnline);
  window.removeEventListener('offline', onOffline);
  socket?.removeAllListeners();
  socket?.disconnect();
  socket = null;
  wasConnected = false;
  useConnection.setState({ status: 'idle', attempts: 0 });
}

/** The current socket, if connected or connecting. */
export function getSocket(): Socket | null {
  return socket;
}

/**
 * Emits and waits for the server's ack (`{ok}`); resolves false on timeout or when
 * there is no connection (the caller retries after a reconnect).
 */
export async function emitWithAck(event: string, payload: unknown, timeoutMs = 5_000): Promise<boolean> {
  const s = socket;
  if (s === null || !s.connected) return false;
  try {
    const ack: unknown = await s.timeout(timeoutMs).emitWithAck(event, payload);
    return typeof ack === 'object' && ack !== null && (ack as { ok?: unknown }).ok === true;
  } catch {
    return false;
  }
}
