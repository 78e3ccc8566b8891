import { eq } from 'drizzle-orm';
import type { Tx } from '../../../db/database.ts';
import { channelSettings } from '../../../migrations/schema/index.ts';
import type { WindowSettings } from './customer-window.ts';

export type ChannelSettings = typeof channelSettings.$inferSelect;
export type ChannelSettingsPatch = Partial<
  Pick<
    typeof channelSettings.$inferInsert,
    | 'whatsappTemplateName'
    | 'whatsappTemplateLanguage'
    | 'whatsappTemplateTextParameter'
    | 'instagramHumanAgent'
  >
>;

const DEFAULTS = {
  whatsappTemplateName: null,
  whatsappTemplateLanguage: null,
  whatsappTemplateTextParameter: false,
  instagramHumanAgent: true,
} as const;

export async function getChannelSettings(tx: Tx, tenantId: string) {
  const [row] = await tx.select().from(channelSettings).where(eq(channelSettings.tenantId, tenantId));
  return row ?? { tenantId, ...DEFAULTS, createdAt: null, updatedAt: null };
}

export async function updateChannelSettings(tx: Tx, tenantId: string, patch: ChannelSettingsPatch) {
  const [row] = await tx
    .insert(channelSettings)
    .values({ tenantId, ...patch })
    .onConflictDoUpdate({
      target: channelSettings.tenantId,
      set: Object.keys(patch).length === 0 ? { tenantId } : patch,
    })
    .returning();
  if (!row) throw new Error('channel settings upsert returned no row');
  return row;
}

/** The part of the settings the window rules read. */
export function windowSettingsOf(settings: {
  whatsappTemplateName: string | null;
  whatsappTemplateLanguage: string | null;
  whatsappTemplateTextParameter: boolean;
  instagramHumanAgent: boolean;
}): WindowSettings {
  return {
    whatsappTemplate: settings.whatsappTemplateName
      ? {
          name: settings.whatsappTemplateName,
          language: settings.whatsappTemplateLanguage ?? 'en',
          textParameter: settings.whatsappTemplateTextParameter,
        }
      : undefined,
    instagramHumanAgent: settings.instagramHumanAgent,
  };
}
