import { sql } from 'drizzle-orm';
import type { FastifyPluginAsync } from 'fastify';
import Type from 'typebox';
import type { Database } from '../../db/database.ts';

export interface HealthOptions {
  database: Database;
}

const Status = Type.Object({ status: Type.String(), database: Type.Optional(Type.String()) });

/**
 * /healthz: the process is alive. /readyz: it can serve, i.e. the database answers and the
 * server is not shutting down; load balancers stop routing to it otherwise.
 */
export const healthPlugin: FastifyPluginAsync<HealthOptions> = async (app, { database }) => {
  let closing = false;
  app.addHook('preClose', async () => {
    closing = true;
  });

  app.get('/healthz', { schema: { response: { 200: Status } } }, async () => ({ status: 'ok' }));

  app.get('/readyz', { schema: { response: { 200: Status, 503: Status } } }, async (_request, reply) => {
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
