import {
  createTenant,
  findTenantIdBySlug,
  updateBusinessProfile,
  updateWidgetConfig,
} from '../bot/tenants/tenant-store.ts';
import type { Db } from '../db/database.ts';
import { withTenant } from '../db/tenant-scope.ts';
import { createFaqEntry } from '../knowledge/faq/faq-store.ts';
import { createApiKey } from '../server/auth/api-keys.ts';
import { maBoutiqueFaq } from './ma-boutique-faq.ts';

export const DEMO_SLUG = 'ma-boutique';

/**
 * Creates the demo tenant "Ma Boutique" with its knowledge, widget and business profile, once.
 * Returns the admin API key when it was just created (it cannot be shown again later).
 */
export async function seedDemo(db: Db): Promise<{ created: boolean; apiKey?: string }> {
  if (await findTenantIdBySlug(db, DEMO_SLUG)) return { created: false };
  const tenant = await createTenant(db, {
    slug: DEMO_SLUG,
    name: 'Ma Boutique',
    websiteUrl: 'https://ma-boutique.com',
    contactEmail: 'support@ma-boutique.com',
  });
  await withTenant(db, tenant.id, async (tx) => {
    for (const entry of maBoutiqueFaq) await createFaqEntry(tx, tenant.id, entry);
    await updateWidgetConfig(tx, tenant.id, {
      primaryColor: '#8a3b5c',
      textColor: '#ffffff',
      greeting: 'Bonjour ! Une question sur la livraison, les retours ou les tailles ? Je vous réponds.',
      language: 'auto',
    });
    const weekdays = [['09:00', '18:00']] as [string, string][];
    const shopDays = [['10:00', '19:00']] as [string, string][];
    await updateBusinessProfile(tx, tenant.id, {
      description: 'Boutique de prêt-à-porter à Paris, vente en ligne et en magasin.',
      language: 'fr',
      tone: 'chaleureux, précis, vouvoiement',
      timezone: 'Europe/Paris',
      address: '12 rue des Martyrs, 75009 Paris',
      phone: '+33 1 23 45 67 89',
      email: 'support@ma-boutique.com',
      escalationEmail: 'admin@ma-boutique.com',
      calcomUrl: 'https://cal.com/ma-boutique/15min',
      openingHours: { tue: shopDays, wed: shopDays, thu: shopDays, fri: shopDays, sat: shopDays },
      supportHours: { mon: weekdays, tue: weekdays, wed: weekdays, thu: weekdays, fri: weekdays },
    });
  });
  const key = await createApiKey(db, tenant.id, 'demo');
  return { created: true, apiKey: key.key };
}
