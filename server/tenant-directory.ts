import {
  findTenantIdBySlug,
  getBusinessProfile,
  getTenant,
  getWidgetConfig,
} from '../bot/tenants/tenant-store.ts';
import type { Db } from '../db/database.ts';
import { withTenant } from '../db/tenant-scope.ts';
import { detectLanguage } from '../knowledge/text/detect-language.ts';
import type { WeeklyHours } from '../migrations/schema/tenants.ts';
import { open } from './auth/secret-box.ts';
import type { PublicWidgetConfig } from './protocol/widget-config.ts';

/** What the public widget endpoints need to know about a tenant, by slug. */
export interface PublicTenant {
  id: string;
  slug: string;
  name: string;
  /** Served as is by GET /widget/config/:slug. */
  widget: PublicWidgetConfig;
  /** Origins allowed to open the widget's websocket; empty admits any. */
  allowedOrigins: string[];
  identity: {
    /** identify() without a valid hash is refused. */
    required: boolean;
    /** The identity secret in clear (undefined until the tenant generates one). */
    secret: string | undefined;
  };
}

export interface TenantDirectory {
  /** The tenant with this public slug, or undefined. Answers from memory for a few seconds. */
  bySlug(slug: string): Promise<PublicTenant | undefined>;
  /** Forgets a tenant after its settings change, so the next lookup reads them again. */
  forget(tenantId: string): void;
}

/**
 * Every widget page view and socket looks its tenant up by slug; a short cache keeps that off the
 * database. Unknown slugs are cached too, so a flood of made-up slugs costs one query each.
 * `encryptionKey` opens the tenants' identity secrets.
 */
export function createTenantDirectory(
  db: Db,
  encryptionKey: Buffer,
  ttlMs = 30_000,
  now = () => Date.now(),
): TenantDirectory {
  const cache = new Map<string, { tenant: Promise<PublicTenant | undefined>; expires: number }>();
  const slugs = new Map<string, string>();

  async function load(slug: string): Promise<PublicTenant | undefined> {
    const id = await findTenantIdBySlug(db, slug);
    if (!id) return undefined;
    return withTenant(db, id, async (tx) => {
      const tenant = await getTenant(tx, id);
      const widget = await getWidgetConfig(tx, id);
      const profile = await getBusinessProfile(tx, id);
      if (!tenant || !widget) return undefined;
      const weekly: WeeklyHours = profile?.supportHours ?? {};
      const hasHours = Object.values(weekly).some((ranges) => ranges && ranges.length > 0);
      return {
        id,
        slug: tenant.slug,
        name: tenant.name,
        widget: {
          name: tenant.name,
          primaryColor: widget.primaryColor,
          textColor: readableOn(widget.primaryColor, widget.textColor),
          position: widget.position === 'left' ? 'left' : 'right',
          greeting: widget.greeting,
          greetingLang: widget.greeting ? (detectLanguage(widget.greeting) ?? null) : null,
          launcherLabel: widget.launcherLabel,
          language: widget.language === 'fr' || widget.language === 'en' ? widget.language : 'auto',
          avatarUrl: widget.avatarUrl,
          hours:
            widget.showBusinessHours && hasHours && profile
              ? { timezone: profile.timezone, weekly: weekly as Record<string, [string, string][]> }
              : null,
          identityVerification: widget.identityVerification,
        },
        allowedOrigins: widget.allowedOrigins,
        identity: {
          required: widget.identityVerification,
          secret: widget.identitySecret ? open(encryptionKey, widget.identitySecret) : undefined,
        },
      };
    });
  }

  return {
    bySlug(slug) {
      const cached = cache.get(slug);
      if (cached && cached.expires > now()) return cached.tenant;
      // The promise is cached, not its result: a storm of sockets for one tenant makes one query.
      const tenant = load(slug);
      if (cache.size > 10_000) cache.clear();
      const entry = { tenant, expires: now() + ttlMs };
      cache.set(slug, entry);
      tenant.then(
        (found) => {
          if (found) slugs.set(found.id, slug);
          else entry.expires = Math.min(entry.expires, now() + 5_000);
        },
        () => {
          if (cache.get(slug) === entry) cache.delete(slug);
        },
      );
      return tenant;
    },
    forget(tenantId) {
      const slug = slugs.get(tenantId);
      if (slug !== undefined) cache.delete(slug);
    },
  };
}

/** Whether a browser Origin may open the tenant's widget; an empty allow-list admits any. */
export function originAllowed(tenant: PublicTenant, origin: string | undefined): boolean {
  const allowed = tenant.allowedOrigins;
  if (allowed.length === 0) return true;
  if (!origin) return false;
  const normalized = origin.toLowerCase().replace(/\/+$/, '');
  return allowed.some((entry) => entry.toLowerCase().replace(/\/+$/, '') === normalized);
}

/**
 * The tenant's text colour when it is readable on its primary colour (WCAG AA, 4.5:1), else
 * black or white, whichever reads better: a site owner's palette never makes the chat unreadable.
 */
export function readableOn(background: string, text: string): string {
  if (contrast(background, text) >= 4.5) return text;
  return contrast(background, '#000000') >= contrast(background, '#ffffff') ? '#000000' : '#ffffff';
}

function contrast(a: string, b: string): number {
  const [l1, l2] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (l1 + 0.05) / (l2 + 0.05);
}

function luminance(hex: string): number {
  const channel = (i: number) => {
    const c = Number.parseInt(hex.slice(i, i + 2), 16) / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * channel(1) + 0.7152 * channel(3) + 0.0722 * channel(5);
}
