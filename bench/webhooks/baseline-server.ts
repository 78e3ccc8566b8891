/**
 * The baseline: a bare Fastify endpoint on the same Postgres that does the least any durable
 * webhook must do, one INSERT of the body per request before answering 200. The server under
 * test is reported as a ratio of it, so that the machine's speed and load cancel out.
 */
import Fastify from 'fastify';
import postgres from 'postgres';
import { unixSocket } from '../../db/database.ts';

const { url, socketDir } = unixSocket(process.env['DATABASE_URL'] ?? '');
const sql = postgres(url, { max: 10, onnotice: () => {}, ...(socketDir ? { host: socketDir } : {}) });
await sql`create table if not exists bench_baseline (id bigserial primary key, body text not null)`;
const app = Fastify({ logger: false, bodyLimit: 4 * 1024 * 1024 });
app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (_request, body, done) =>
  done(null, body),
);
app.post('/webhooks/whatsapp', async (request, reply) => {
  const body = Buffer.isBuffer(request.body) ? request.body.toString('utf8') : '';
  await sql`insert into bench_baseline (body) values (${body})`;
  return reply.code(200).send();
});
await app.listen({ host: '127.0.0.1', port: 0 });
const address = app.server.address();
const port = typeof address === 'object' && address ? address.port : 0;
process.on('message', (command: unknown) => {
  if (command === 'stop')
    void app
      .close()
      .then(() => sql.end())
      .then(() => process.exit(0));
});
process.send?.({ ready: `http://127.0.0.1:${port}` });
