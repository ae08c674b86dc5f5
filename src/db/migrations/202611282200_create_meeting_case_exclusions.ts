import type { Kysely } from 'kysely';

// Membership per agenda item: a member excluded from one case on a meeting's agenda (e.g. a
// conflict of interest) reads nothing of that case — its materials, its part of the agenda PDF,
// tabling into it — while the rest of the meeting stays open to them.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('meeting_case_exclusions')
    .addColumn('meeting_id', 'text', (c) => c.notNull().references('meetings.id'))
    .addColumn('case_id', 'text', (c) => c.notNull().references('cases.id'))
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('excluded_at', 'text', (c) => c.notNull())
    .addColumn('excluded_by_user_id', 'text', (c) => c.notNull().references('users.id'))
    .addPrimaryKeyConstraint('meeting_case_exclusions_pk', ['meeting_id', 'case_id', 'user_id'])
    .execute();
  await db.schema.createIndex('meeting_case_exclusions_user').on('meeting_case_exclusions').columns(['meeting_id', 'user_id']).execute();
}
