import { and, eq, sql } from 'drizzle-orm';
import { queryRows, type Tx } from '../../db/database.ts';
import { intents } from '../../migrations/schema/index.ts';
import { BUILTIN_INTENT_NAMES, DEFAULT_INTENTS, OUT_OF_SCOPE_EXAMPLES } from './default-intents.ts';
import { type IntentExample, OUT_OF_SCOPE } from './intent-classifier.ts';

export interface IntentExampleText {
  text: string;
  lang: 'fr' | 'en';
}

/** An intent as it applies to a tenant: a built-in one (possibly changed) or the tenant's own. */
export interface TenantIntent {
  name: string;
  description: string | null;
  builtin: boolean;
  enabled: boolean;
  /** The examples that ship with a built-in intent. */
  builtinExamples: IntentExampleText[];
  /** The tenant's own examples, added to the built-in ones. */
  examples: IntentExampleText[];
  updatedAt: Date | null;
}

export interface IntentPatch {
  description?: string | null;
  examples?: IntentExampleText[];
  enabled?: boolean;
}

const BUILTIN: ReadonlySet<string> = new Set(BUILTIN_INTENT_NAMES);

/**
 * How much a tenant may train on: each model is trained in a worker thread, but its time and its
 * memory (features × intents) grow with both, and every tenant with intents of its own holds one.
 */
export const INTENT_LIMITS = { intents: 100, examples: 5000 } as const;

/** Why the tenant's intents, as they would be, exceed INTENT_LIMITS; undefined when they do not. */
export function intentLimitProblem(tenantIntents: readonly TenantIntent[]): string | undefined {
  const enabled = tenantIntents.filter((intent) => intent.enabled);
  if (enabled.length > INTENT_LIMITS.intents) {
    return `A tenant may have at most ${INTENT_LIMITS.intents} intents switched on (this would make ${enabled.length})`;
  }
  const examples = enabled.reduce((sum, i) => sum + i.builtinExamples.length + i.examples.length, 0);
  if (examples > INTENT_LIMITS.examples) {
    return `A tenant's intents may have at most ${INTENT_LIMITS.examples} examples in all (this would make ${examples})`;
  }
  return undefined;
}

/** Every intent of the tenant: the built-in ones first, in their usual order, then its own. */
export async function listTenantIntents(tx: Tx): Promise<TenantIntent[]> {
  return tenantIntentsOf(await tx.select().from(intents).orderBy(intents.name));
}

/** The intents of a tenant that changed none of them, as every new tenant starts. */
export function untouchedTenantIntents(): TenantIntent[] {
  return tenantIntentsOf([]);
}

function tenantIntentsOf(rows: (typeof intents.$inferSelect)[]): TenantIntent[] {
  const byName = new Map(rows.map((row) => [row.name, row]));
  const builtins = DEFAULT_INTENTS.map((definition): TenantIntent => {
    const row = byName.get(definition.name);
    return {
      name: definition.name,
      description: row?.description ?? definition.description,
      builtin: true,
      enabled: row?.enabled ?? true,
      builtinExamples: [
        ...definition.examples.fr.map((text) => ({ text, lang: 'fr' as const })),
        ...definition.examples.en.map((text) => ({ text, lang: 'en' as const })),
      ],
      examples: row?.examples ?? [],
      updatedAt: row?.updatedAt ?? null,
    };
  });
  const own = rows
    .filter((row) => !BUILTIN.has(row.name))
    .map(
      (row): TenantIntent => ({
        name: row.name,
        description: row.description,
        builtin: false,
        enabled: row.enabled,
        builtinExamples: [],
        examples: row.examples,
        updatedAt: row.updatedAt,
      }),
    );
  return [...builtins, ...own];
}

/** Creates the tenant's intent or changes it; a built-in intent gets a row that records the change. */
export async function saveIntent(tx: Tx, tenantId: string, name: string, patch: IntentPatch): Promise<void> {
  const values = {
    ...(patch.description !== undefined ? { description: patch.description } : {}),
    ...(patch.examples !== undefined ? { examples: dedupe(patch.examples) } : {}),
    ...(patch.enabled !== undefined ? { enabled: patch.enabled } : {}),
  };
  await tx
    .insert(intents)
    .values({ tenantId, name, ...values })
    .onConflictDoUpdate({ target: [intents.tenantId, intents.name], set: { ...values, name } });
}

/** Deletes the tenant's own intent, or returns a built-in one to how it ships. */
export async function deleteIntent(tx: Tx, name: string): Promise<boolean> {
  const deleted = await tx
    .delete(intents)
    .where(and(eq(intents.name, name)))
    .returning({ id: intents.id });
  return deleted.length > 0;
}

export function isBuiltinIntent(name: string): boolean {
  return BUILTIN.has(name);
}

/** Changes whenever any of the tenant's intents does; the classifier is retrained when it changes. */
export async function intentsFingerprint(tx: Tx): Promise<string> {
  const [row] = await queryRows<{ n: number | string; at: string | Date | null }>(
    tx,
    sql`select count(*) as n, max(updated_at) as at from intents`,
  );
  const at = row?.at instanceof Date ? row.at.toISOString() : String(row?.at ?? '');
  return `${row?.n ?? 0}:${at}`;
}

/** The training data of a tenant's classifier: enabled intents' examples plus off-topic ones. */
export function trainingExamples(tenantIntents: readonly TenantIntent[]): IntentExample[] {
  const examples: IntentExample[] = [];
  for (const intent of tenantIntents) {
    if (!intent.enabled) continue;
    for (const example of [...intent.builtinExamples, ...intent.examples]) {
      examples.push({ text: example.text, intent: intent.name });
    }
  }
  for (const text of [...OUT_OF_SCOPE_EXAMPLES.fr, ...OUT_OF_SCOPE_EXAMPLES.en]) {
    examples.push({ text, intent: OUT_OF_SCOPE });
  }
  return examples;
}

function dedupe(examples: IntentExampleText[]): IntentExampleText[] {
  const seen = new Set<string>();
  return examples.filter((example) => {
    const key = example.text.trim().toLowerCase();
    if (key === '' || seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
