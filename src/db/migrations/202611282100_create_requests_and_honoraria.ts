import type { Kysely } from 'kysely';

// 情報提供の求め (社会福祉法106条の6第3項: a 支援会議 may ask an agency for documents,
// information or opinions) and 謝金 for external members (a subsidised cost).
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('information_requests')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('meeting_id', 'text', (c) => c.notNull().references('meetings.id'))
    .addColumn('case_id', 'text', (c) => c.notNull().references('cases.id'))
    .addColumn('person_id', 'text', (c) => c.references('persons.id'))
    .addColumn('organization_id', 'text', (c) => c.notNull().references('organizations.id'))
    .addColumn('request', 'text', (c) => c.notNull())
    .addColumn('due_on', 'text')
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('requested_by_user_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('answered_by_user_id', 'text')
    .addColumn('answered_at', 'text')
    .execute();
  await db.schema.createIndex('information_requests_org').on('information_requests').column('organization_id').execute();

  await db.schema
    .createTable('honoraria')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('meeting_id', 'text', (c) => c.notNull().references('meetings.id'))
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('amount_yen', 'integer', (c) => c.notNull())
    .addColumn('paid_on', 'text')
    .addColumn('recorded_by_user_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('honoraria_meeting').on('honoraria').column('meeting_id').execute();
}
