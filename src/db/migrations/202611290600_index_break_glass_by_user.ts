import type { Kysely } from 'kysely';

// The persons, households and cases under a user's break-glass grants are looked up from the
// user's side (issue 6): with an index on the case only, SQLite walked every case to find the
// (usually no) grants of one user, once per search.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createIndex('break_glass_user_expiry').on('break_glass_grants').columns(['user_id', 'expires_at']).execute();
}
