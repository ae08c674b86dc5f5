import type { Kysely } from 'kysely';

// Meetings: 支援会議 (社会福祉法106条の6), 重層的支援会議, 複合課題ケース検討会 and designated
// bodies; their members, acknowledgments, agenda, tabled materials (snapshots), minutes, and
// the role assignments (役割分担) that become tasks.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('meetings')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('legal_basis', 'text', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('starts_at', 'text', (c) => c.notNull())
    .addColumn('place', 'text')
    .addColumn('online', 'integer', (c) => c.notNull())
    .addColumn('chair_user_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('convened_by_user_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('convened_at', 'text', (c) => c.notNull())
    .addColumn('materials_close_days', 'integer', (c) => c.notNull())
    .addColumn('series_id', 'text')
    .addColumn('minutes_body', 'text')
    .addColumn('decisions', 'text')
    .addColumn('attendee_user_ids', 'text')
    .addColumn('minutes_recorded_at', 'text')
    .addColumn('minutes_signed_at', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('meetings_starts_at').on('meetings').column('starts_at').execute();

  await db.schema
    .createTable('meeting_members')
    .addColumn('meeting_id', 'text', (c) => c.notNull().references('meetings.id'))
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('added_at', 'text', (c) => c.notNull())
    .addColumn('added_by_user_id', 'text', (c) => c.notNull().references('users.id'))
    // 守秘義務の確認: no material opens before this is set (rule 5).
    .addColumn('acknowledged_at', 'text')
    .addPrimaryKeyConstraint('meeting_members_pk', ['meeting_id', 'user_id'])
    .execute();
  await db.schema.createIndex('meeting_members_user').on('meeting_members').column('user_id').execute();

  await db.schema
    .createTable('meeting_cases')
    .addColumn('meeting_id', 'text', (c) => c.notNull().references('meetings.id'))
    .addColumn('case_id', 'text', (c) => c.notNull().references('cases.id'))
    .addColumn('purpose', 'text', (c) => c.notNull())
    .addColumn('added_at', 'text', (c) => c.notNull())
    .addColumn('added_by_user_id', 'text', (c) => c.notNull().references('users.id'))
    .addPrimaryKeyConstraint('meeting_cases_pk', ['meeting_id', 'case_id'])
    .execute();
  await db.schema.createIndex('meeting_cases_case').on('meeting_cases').column('case_id').execute();

  await db.schema
    .createTable('meeting_materials')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('meeting_id', 'text', (c) => c.notNull().references('meetings.id'))
    .addColumn('case_id', 'text', (c) => c.notNull().references('cases.id'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('record_id', 'text')
    .addColumn('person_id', 'text')
    .addColumn('classification', 'text')
    // What was tabled, as it was: a snapshot (rule 5), JSON.
    .addColumn('snapshot', 'text', (c) => c.notNull())
    .addColumn('tabled_by_user_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('tabled_by_organization_id', 'text', (c) => c.notNull().references('organizations.id'))
    .addColumn('tabled_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('meeting_materials_meeting').on('meeting_materials').columns(['meeting_id', 'case_id']).execute();

  await db.schema
    .createTable('tasks')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('meeting_id', 'text', (c) => c.notNull().references('meetings.id'))
    .addColumn('case_id', 'text', (c) => c.notNull().references('cases.id'))
    .addColumn('organization_id', 'text', (c) => c.notNull().references('organizations.id'))
    .addColumn('task', 'text', (c) => c.notNull())
    .addColumn('due_on', 'text')
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('assigned_by_user_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('tasks_organization').on('tasks').column('organization_id').execute();
  await db.schema.createIndex('tasks_case').on('tasks').column('case_id').execute();
}
