import { createHash } from 'node:crypto';
import { LRUCache } from 'lru-cache';
import type { Db, Tx } from '../../db/database.ts';
import { withTenant } from '../../db/tenant-scope.ts';
import type { Logger } from '../logger.ts';
import { type IntentClassifier, type IntentExample, OUT_OF_SCOPE } from './intent-classifier.ts';
import {
  intentsFingerprint,
  listTenantIntents,
  type TenantIntent,
  trainingExamples,
  untouchedTenantIntents,
} from './intent-store.ts';
import { trainInWorker } from './train-in-worker.ts';

export interface DetectedIntent {
  intent: string;
  /** Calibrated (offline) or stated (LLM) probability that the intent is right. */
  confidence: number;
  source: 'offline' | 'llm';
}

/** Classification by an LLM through structured output; the agent module provides it. */
export type LlmIntentClassifier = (
  text: string,
  intents: readonly { name: string; description: string | null }[],
  /** Whose share of LLM calls this one counts against. */
  tenantId: string,
) => Promise<{ intent: string; confidence: number }>;

export interface IntentDetector {
  /** True when detection calls nothing outside the process (no LLM): it may run inside a transaction. */
  readonly local: boolean;
  detect(tenantId: string, text: string): Promise<DetectedIntent>;
  /**
   * The tenant's current model, checked through the caller's transaction `tx` (one query, which a
   * turn sends along with its other reads); detecting with it then needs no database, so an LLM
   * call never holds the transaction open.
   */
  model(tenantId: string, tx: Tx): Promise<IntentModel>;
  /** The tenant's classifier, trained on its current intents (admin "try it" and tests). */
  classifierFor(tenantId: string): Promise<IntentClassifier>;
  /**
   * Trains the classifier of the intents every tenant starts with, before the server takes
   * traffic, so that the first message after a start does not wait for it. Resolves to that model.
   */
  warm(): Promise<IntentClassifier>;
}

export interface IntentDetectorDeps {
  db: Db;
  log: Logger;
  /** With an LLM configured: classification through it, the offline model when it fails. */
  llm?: LlmIntentClassifier | undefined;
  /** How many tenants' intents, and how many distinct trained models, stay in memory. */
  cacheSize?: number;
  /** Trains a classifier; in a worker thread by default, off the event loop. */
  train?: (examples: readonly IntentExample[]) => Promise<IntentClassifier>;
}

export interface IntentModel {
  detect(text: string): Promise<DetectedIntent>;
}

interface Cached {
  fingerprint: string;
  intents: TenantIntent[];
  classifier: Promise<IntentClassifier>;
}

/**
 * Each tenant's intent of a message. The offline classifier is trained from the tenant's intents
 * on first use and again whenever they change (a fingerprint query per message tells), so every
 * server process agrees without any invalidation messages.
 */
export function createIntentDetector({
  db,
  log,
  llm,
  cacheSize = 500,
  train = trainInWorker,
}: IntentDetectorDeps): IntentDetector {
  const cache = new LRUCache<string, Cached>({ max: cacheSize });
  // Keyed by the training data itself: tenants whose intents are the same (most keep the
  // built-in ones) share one model, trained once, and hold its megabytes once.
  const models = new LRUCache<string, Promise<IntentClassifier>>({ max: cacheSize });

  function modelFor(examples: readonly IntentExample[]): Promise<IntentClassifier> {
    const key = createHash('sha256').update(JSON.stringify(examples)).digest('base64');
    const kept = models.get(key);
    if (kept) return kept;
    const model = train(examples);
    // A failed training is not kept: the next message tries again.
    model.catch(() => {
      if (models.get(key) === model) models.delete(key);
    });
    models.set(key, model);
    return model;
  }

  async function current(tenantId: string, tx?: Tx): Promise<Cached> {
    const fingerprint = tx
      ? await intentsFingerprint(tx)
      : await withTenant(db, tenantId, (scoped) => intentsFingerprint(scoped));
    const cached = cache.get(tenantId);
    if (cached && cached.fingerprint === fingerprint) return cached;
    const intents = tx
      ? await listTenantIntents(tx)
      : await withTenant(db, tenantId, (scoped) => listTenantIntents(scoped));
    const entry: Cached = {
      fingerprint,
      intents,
      classifier: modelFor(trainingExamples(intents)),
    };
    cache.set(tenantId, entry);
    return entry;
  }

  return {
    local: !llm,
    warm() {
      return modelFor(trainingExamples(untouchedTenantIntents()));
    },
    async classifierFor(tenantId) {
      return (await current(tenantId)).classifier;
    },
    async detect(tenantId, text) {
      return detectWith(tenantId, await current(tenantId), text);
    },
    async model(tenantId, tx) {
      const entry = await current(tenantId, tx);
      return { detect: (text) => detectWith(tenantId, entry, text) };
    },
  };

  async function detectWith(tenantId: string, entry: Cached, text: string): Promise<DetectedIntent> {
    const offline = (await entry.classifier).classify(text);
    const fallback: DetectedIntent = {
      intent: offline.intent,
      confidence: offline.confidence,
      source: 'offline',
    };
    if (!llm || text.trim() === '') return fallback;
    const enabled = entry.intents.filter((i) => i.enabled);
    try {
      const answer = await llm(text, enabled, tenantId);
      const known = answer.intent === OUT_OF_SCOPE || enabled.some((i) => i.name === answer.intent);
      if (!known) return fallback;
      return { intent: answer.intent, confidence: clamp(answer.confidence), source: 'llm' };
    } catch (error) {
      log.warn({ err: error, tenantId }, 'LLM intent classification failed; using the offline classifier');
      return fallback;
    }
  }
}

function clamp(value: number): number {
  if (!Number.isFinite(value)) return 0;
  return Math.round(Math.min(1, Math.max(0, value)) * 1000) / 1000;
}
