/**
 * Runs the idle timer's timeouts and intervals off the main thread: browsers slow
 * main-thread timers down in background tabs, not a worker's. A same-origin module
 * (not a blob: URL), so the server's Content-Security-Policy (`script-src 'self'`)
 * allows it.
 */
interface Command {
  op: 'set' | 'clear';
  id: number;
  kind: 'timeout' | 'interval';
  delay: number;
}

const scope = self as unknown as { onmessage: ((e: MessageEvent<Command>) => void) | null; postMessage: (id: number) => void };
const handles = new Map<number, ReturnType<typeof setTimeout>>();

scope.onmessage = ({ data: { op, id, kind, delay } }) => {
  if (op === 'set') {
    const fire = () => {
      if (kind === 'timeout') handles.delete(id);
      scope.postMessage(id);
    };
    handles.set(id, kind === 'timeout' ? setTimeout(fire, delay) : setInterval(fire, delay));
    return;
  }
  const handle = handles.get(id);
  if (handle !== undefined) {
    clearTimeout(handle);
    clearInterval(handle);
    handles.delete(id);
  }
};
