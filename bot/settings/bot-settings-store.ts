import { eq } from 'drizzle-orm';
import type { Tx } from '../../db/database.ts';
import { tenantBotSettings } from '../../migrations/schema/index.ts';

export type BotSettingsRow = typeof tenantBotSettings.$inferSelect;
export type BotSettings = Omit<
  BotSettingsRow,
  'tenantId' | 'createdAt' | 'updatedAt' | 'webhookSecretEncrypted'
> & {
  /** Whether a webhook signing secret exists; the secret itself never leaves the store. */
  webhookSecretSet: boolean;
};
export type BotSettingsPatch = Partial<
  Omit<typeof tenantBotSettings.$inferInsert, 'tenantId' | 'createdAt' | 'updatedAt'>
>;

/** The values a tenant has until it changes them; the same as the table's column defaults. */
export const DEFAULT_BOT_SETTINGS: BotSettings = {
  confidenceThreshold: 0.5,
  lowConfidenceTurns: 2,
  escalationIntents: ['human_agent', 'complaint', 'returns_refund'],
  negativeSentimentThreshold: -0.6,
  escalateOnNegativeSentiment: true,
  memoryTurns: 10,
  webhookUrl: null,
  webhookSecretSet: false,
  notifyEmails: [],
};

/** The tenant's bot settings, or the defaults when it never changed any. */
export async function getBotSettings(tx: Tx, tenantId: string): Promise<BotSettings> {
  const row = await getBotSettingsRow(tx, tenantId);
  return row ? toSettings(row) : { ...DEFAULT_BOT_SETTINGS };
}

export async function getBotSettingsRow(tx: Tx, tenantId: string): Promise<BotSettingsRow | undefined> {
  const [row] = await tx.select().from(tenantBotSettings).where(eq(tenantBotSettings.tenantId, tenantId));
  return row;
}

export async function updateBotSettings(
  tx: Tx,
  tenantId: string,
  patch: BotSettingsPatch,
): Promise<BotSettings> {
  // An empty patch still creates the row, so that the answer always reflects what is stored.
  const [row] = await tx
    .insert(tenantBotSettings)
    .values({ tenantId, ...patch })
    .onConflictDoUpdate({ target: tenantBotSettings.tenantId, set: { ...patch, tenantId } })
    .returning();
  if (!row) throw new Error('bot settings upsert returned no row');
  return toSettings(row);
}

function toSettings(row: BotSettingsRow): BotSettings {
  const { tenantId: _t, createdAt: _c, updatedAt: _u, webhookSecretEncrypted, ...rest } = row;
  return { ...rest, webhookSecretSet: webhookSecretEncrypted !== null };
}
