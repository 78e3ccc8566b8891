import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyPluginAsync } from 'fastify';
import Type from 'typebox';
import type { IntentDetector } from '../../../bot/intents/intent-detector.ts';
import {
  deleteIntent,
  intentLimitProblem,
  isBuiltinIntent,
  listTenantIntents,
  saveIntent,
} from '../../../bot/intents/intent-store.ts';
import type { Db } from '../../../db/database.ts';
import { withTenant } from '../../../db/tenant-scope.ts';
import { Errors } from '../../errors.ts';
import { NoContent } from '../response-schemas.ts';
import { Nullable } from './common-schemas.ts';

const Example = Type.Object(
  {
    text: Type.String({ minLength: 1, maxLength: 500 }),
    lang: Type.Union([Type.Literal('fr'), Type.Literal('en')]),
  },
  { additionalProperties: false },
);
const Intent = Type.Object({
  name: Type.String(),
  description: Nullable(Type.String()),
  builtin: Type.Boolean(),
  enabled: Type.Boolean(),
  builtinExamples: Type.Array(Example),
  examples: Type.Array(Example),
});
const NameParams = Type.Object({ name: Type.String({ pattern: '^[a-z][a-z0-9_]{0,63}$' }) });
const IntentBody = Type.Object(
  {
    description: Type.Optional(Nullable(Type.String({ maxLength: 500 }))),
    examples: Type.Optional(Type.Array(Example, { maxItems: 500 })),
    enabled: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
const Prediction = Type.Object({
  intent: Type.String(),
  confidence: Type.Number(),
  ranking: Type.Array(Type.Object({ intent: Type.String(), confidence: Type.Number() })),
  calibration: Type.Object({ temperature: Type.Number(), oosThreshold: Type.Number() }),
});

/** The tenant's intents: the built-in ones (tunable, switchable) and its own, and a way to try them. */
export const intentRoutes: FastifyPluginAsync<{ db: Db; intents: IntentDetector }> = async (
  base,
  { db, intents },
) => {
  const app = base.withTypeProvider<TypeBoxTypeProvider>();

  app.get(
    '/intents',
    {
      schema: {
        tags: ['Bot'],
        summary: 'List intents',
        description:
          "The built-in intents, with their examples, and the tenant's own; each can be tuned and switched off with `enabled`.",
        response: { 200: Type.Object({ items: Type.Array(Intent) }) },
      },
    },
    async (request) => {
      const items = await withTenant(db, request.adminTenantId!, (tx) => listTenantIntents(tx));
      return { items };
    },
  );

  app.put(
    '/intents/:name',
    {
      schema: {
        tags: ['Bot'],
        summary: 'Add or change an intent',
        description:
          "Sets an intent's `description`, `examples` (`{text, lang}`) and `enabled`. A new intent needs at least two examples; on a built-in one the examples are added to its own.",
        params: NameParams,
        body: IntentBody,
        response: { 200: Intent },
      },
    },
    async (request) => {
      const tenantId = request.adminTenantId!;
      const { name } = request.params;
      if (name === 'oos') throw new Errors.BadRequest('"oos" is the out-of-scope outcome, not an intent');
      const saved = await withTenant(db, tenantId, async (tx) => {
        const existing = (await listTenantIntents(tx)).find((i) => i.name === name);
        const examples = request.body.examples;
        if (!existing && !isBuiltinIntent(name) && (!examples || examples.length < 2)) {
          throw new Errors.BadRequest('A new intent needs at least two examples');
        }
        await saveIntent(tx, tenantId, name, request.body);
        // Checked on the intents as saved, in the same transaction: over the limit, nothing is kept.
        const after = await listTenantIntents(tx);
        const problem = intentLimitProblem(after);
        if (problem) throw new Errors.IntentLimit(problem);
        return after.find((i) => i.name === name);
      });
      if (!saved) throw new Errors.NotFound('Intent');
      return saved;
    },
  );

  app.delete(
    '/intents/:name',
    {
      schema: {
        tags: ['Bot'],
        summary: 'Delete an intent',
        description: "Deletes a tenant's own intent, or its changes to a built-in one.",
        response: { 204: NoContent },
        params: NameParams,
      },
    },
    async (request, reply) => {
      const deleted = await withTenant(db, request.adminTenantId!, (tx) =>
        deleteIntent(tx, request.params.name),
      );
      if (!deleted && !isBuiltinIntent(request.params.name)) throw new Errors.NotFound('Intent');
      return reply.code(204).send();
    },
  );

  app.post(
    '/intents/classify',
    {
      schema: {
        tags: ['Bot'],
        summary: 'Classify a text',
        description:
          'The intent the bot would detect for `text`: the intent, its confidence, the ranking and the calibration.',
        body: Type.Object(
          { text: Type.String({ minLength: 1, maxLength: 4000 }) },
          { additionalProperties: false },
        ),
        response: { 200: Prediction },
      },
    },
    async (request) => {
      const classifier = await intents.classifierFor(request.adminTenantId!);
      return { ...classifier.classify(request.body.text), calibration: classifier.calibration };
    },
  );
};
