import { sql } from 'drizzle-orm';
import { queryRows, type Tx } from '../../db/database.ts';

export interface CustomerMessage {
  id: string;
  text: string;
  /** The bot's reply abstained, or was below the tenant's confidence threshold when it was sent. */
  unanswered: boolean;
}

/**
 * Everything customers wrote on one day of the tenant's calendar, on every channel, oldest first.
 * What the bot cannot read (a voice note or a picture without caption, stored as "[voice]") and
 * stickers are left out: their placeholder text would pass for a topic.
 * A message counts as unanswered when the bot's reply to it says so in its metadata: `abstained`
 * (nothing in the knowledge answered) or `unsure` (the turn handler's verdict against the tenant's
 * threshold at the time, so that a later change of threshold does not rewrite history).
 */
export async function dayCustomerMessages(
  tx: Tx,
  tenantId: string,
  date: string,
  timeZone: string,
): Promise<CustomerMessage[]> {
  const rows = await queryRows<{ id: string; content: string; unanswered: boolean }>(
    tx,
    sql`
      select u.id, u.content,
        exists (
          select 1 from conversation_messages r
          where r.conversation_id = u.conversation_id and r.role = 'assistant' and r.seq > u.seq
            and r.metadata ->> 'reply_to' = u.id::text
            and (r.metadata ->> 'abstained' = 'true' or r.metadata ->> 'unsure' = 'true')
        ) as unanswered
      from conversation_messages u
      where u.tenant_id = ${tenantId} and u.role = 'user'
        and coalesce(u.metadata ->> 'unreadable', 'false') <> 'true'
        and coalesce(u.metadata ->> 'type', '') <> 'sticker'
        and u.created_at >= (${date}::date)::timestamp at time zone ${timeZone}
        and u.created_at < (${date}::date + 1)::timestamp at time zone ${timeZone}
      order by u.created_at, u.id`,
  );
  return rows.map((row) => ({
    id: String(row.id),
    text: String(row.content),
    unanswered: row.unanswered === true,
  }));
}
