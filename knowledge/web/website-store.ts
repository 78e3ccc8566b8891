import { and, asc, desc, eq, lt } from 'drizzle-orm';
import type { Tx } from '../../db/database.ts';
import { websitePages, websiteSources } from '../../migrations/schema/index.ts';

export type WebsiteSource = typeof websiteSources.$inferSelect;
export type WebsitePage = typeof websitePages.$inferSelect;
export type CrawlFrequency = 'manual' | 'daily' | 'weekly';

export const CRAWL_FREQUENCIES: readonly CrawlFrequency[] = ['manual', 'daily', 'weekly'];

export function listWebsiteSources(tx: Tx): Promise<WebsiteSource[]> {
  return tx.select().from(websiteSources).orderBy(desc(websiteSources.createdAt), asc(websiteSources.id));
}

export async function getWebsiteSource(tx: Tx, id: string): Promise<WebsiteSource | undefined> {
  const [row] = await tx.select().from(websiteSources).where(eq(websiteSources.id, id));
  return row;
}

export function listWebsitePages(tx: Tx, sourceId: string): Promise<WebsitePage[]> {
  return tx
    .select()
    .from(websitePages)
    .where(eq(websitePages.websiteSourceId, sourceId))
    .orderBy(asc(websitePages.url));
}

export async function getWebsitePage(
  tx: Tx,
  sourceId: string,
  url: string,
): Promise<WebsitePage | undefined> {
  const [row] = await tx
    .select()
    .from(websitePages)
    .where(and(eq(websitePages.websiteSourceId, sourceId), eq(websitePages.url, url)));
  return row;
}

/** Pages a crawl that started at `since` did not reach. */
export function pagesNotReachedSince(tx: Tx, sourceId: string, since: Date): Promise<WebsitePage[]> {
  return tx
    .select()
    .from(websitePages)
    .where(and(eq(websitePages.websiteSourceId, sourceId), lt(websitePages.crawledAt, since)));
}

/** When a source of this frequency should be crawled again after `from`. */
export function nextCrawlAt(frequency: string, from: Date): Date | null {
  const day = 24 * 60 * 60 * 1000;
  if (frequency === 'daily') return new Date(from.getTime() + day);
  if (frequency === 'weekly') return new Date(from.getTime() + 7 * day);
  return null;
}
