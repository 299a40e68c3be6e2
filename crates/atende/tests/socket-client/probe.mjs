// A real Socket.IO client for the Rust integration tests.
//   node probe.mjs <baseUrl> <token|-> [transport] [origin]
// Prints one JSON object per line: {"type":"connect"}, {"type":"connect_error","message"},
// {"type":"event","name","data"}, {"type":"ack","id","data"}, {"type":"disconnect","reason"}.
// Reads commands from stdin, one JSON per line: {"id":1,"emit":"join_conversation","data":{...}}.
// Exits when stdin closes.
import { createInterface } from 'node:readline';
import { io } from 'socket.io-client';

const [baseUrl, token, transport = 'websocket', origin] = process.argv.slice(2);
const out = (obj) => process.stdout.write(JSON.stringify(obj) + '\n');

const socket = io(baseUrl, {
  auth: token && token !== '-' ? { token } : {},
  transports: [transport],
  reconnection: false,
  timeout: 5000,
  extraHeaders: origin ? { Origin: origin } : undefined,
});

socket.on('connect', () => out({ type: 'connect', id: socket.id }));
socket.on('connect_error', (err) => out({ type: 'connect_error', message: err.message }));
socket.on('disconnect', (reason) => out({ type: 'disconnect', reason }));
socket.onAny((name, data) => out({ type: 'event', name, data }));

const rl = createInterface({ input: process.stdin });
rl.on('line', (line) => {
  if (!line.trim()) return;
  const cmd = JSON.parse(line);
  socket.timeout(5000).emit(cmd.emit, cmd.data, (err, data) => {
    out({ type: 'ack', id: cmd.id, data: err ? { error: String(err) } : data });
  });
});
rl.on('close', () => {
  socket.close();
  process.exit(0);
});
