import { sql } from 'drizzle-orm';
import type { FastifyPluginAsync } from 'fastify';
import Type from 'typebox';
import type { Database } from '../../db/database.ts';

export interface HealthOptions {
  database: Database;
}

const Status = Type.Object({
  status: Type.String(),
  /** `pglite` or `postgres`. */
  database: Type.Optional(Type.String()),
});

/**
 * /healthz: the process is alive. /readyz: it can serve, i.e. the database answers and the
 * server is not shutting down; load balancers stop routing to it otherwise.
 */
export const healthPlugin: FastifyPluginAsync<HealthOptions> = async (app, { database }) => {
  let closing = false;
  app.addHook('preClose', async () => {
    closing = true;
  });

  app.get(
    '/healthz',
    {
      schema: {
        tags: ['Health'],
        summary: 'Liveness',
        description: 'Answers `{"status": "ok"}` while the process runs. No API key.',
        response: { 200: Status },
      },
    },
    async () => ({ status: 'ok' }),
  );

  const readySchema = {
    tags: ['Health'],
    summary: 'Readiness',
    description:
      'Answers 200 (`ready`) when the database answers and the server is not shutting down, else 503 (`database_unavailable` or `shutting_down`), so a load balancer stops routing to it. No API key.',
    response: { 200: Status, 503: Status },
  };
  app.get('/readyz', { schema: readySchema }, async (_request, reply) => {
    if (closing) return reply.code(503).send({ status: 'shutting_down' });
    try {
      await database.db.execute(sql`select 1`);
      return { status: 'ready', database: database.driver };
    } catch (error) {
      app.log.warn({ err: error }, 'readiness check: the database does not answer');
      return reply.code(503).send({ status: 'database_unavailable', database: database.driver });
    }
  });
};
