import type { Kysely } from 'kysely';

// The intake form for a meeting (Toba's 地域共生ケース会議受付表): the worker who took the
// consultation asks for a meeting; the coordinator (包括化推進員) forwards it to the chair.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('convening_requests')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('case_id', 'text', (c) => c.notNull().references('cases.id'))
    .addColumn('consulted', 'text', (c) => c.notNull())
    .addColumn('involved_organization_ids', 'text', (c) => c.notNull())
    .addColumn('needed_organization_ids', 'text', (c) => c.notNull())
    .addColumn('urgency', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('requested_by_user_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('requested_by_organization_id', 'text', (c) => c.notNull().references('organizations.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('forwarded_to_user_id', 'text')
    .addColumn('forwarded_by_user_id', 'text')
    .addColumn('forwarded_at', 'text')
    .addColumn('meeting_id', 'text')
    .execute();
  await db.schema.createIndex('convening_requests_case').on('convening_requests').column('case_id').execute();
}
