import { WebSocketServer } from 'ws';

/**
 * The ceiling of the realtime benchmark: a bare `ws` server that echoes every text frame, with
 * the same payload limit as Causette's and no compression. Prints "READY ws://…" when listening.
 */
const server = new WebSocketServer({
  host: '127.0.0.1',
  port: 0,
  maxPayload: 16 * 1024,
  perMessageDeflate: false,
  backlog: 4096,
});
server.on('connection', (socket) => {
  socket.on('message', (data, isBinary) => socket.send(data, { binary: isBinary }));
  socket.on('error', () => {});
});
server.on('listening', () => {
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  process.stdout.write(`READY ws://127.0.0.1:${port}\n`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
