import { customType, timestamp, uuid } from 'drizzle-orm/pg-core';

/** Every table's key: a UUID the database generates. */
export const id = () => uuid().primaryKey().defaultRandom();

export const createdAt = () => timestamp({ withTimezone: true }).defaultNow().notNull();

/** Pair of timestamps; `updated_at` is kept current by a trigger (see the custom migrations). */
export const timestamps = () => ({
  createdAt: createdAt(),
  updatedAt: timestamp({ withTimezone: true }).defaultNow().notNull(),
});

/** Postgres full-text vector; always a generated column here, so it is never written by the app. */
export const tsvector = customType<{ data: string }>({
  dataType: () => 'tsvector',
});
