import type { Kysely } from 'kysely';

// The support lifecycle of a household case (seed: 解きほぐし → 見立て → プラン → 支援の実施 → 終結):
// versioned assessments and plans, plan actions held by team organizations, monitoring
// entries, the advisor roster and advice requests, and the termination evaluation.
// Versions are rows, never updates of a previous version: what a meeting approved stays as it was.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('persons').addColumn('deceased_on', 'text').execute();

  await db.schema
    .createTable('assessments')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('case_id', 'text', (c) => c.notNull().references('cases.id'))
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('content', 'text', (c) => c.notNull())
    .addColumn('authored_by_user_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('authored_by_organization_id', 'text', (c) => c.notNull().references('organizations.id'))
    .addColumn('authored_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('assessments_case_version', ['case_id', 'version'])
    .execute();

  await db.schema
    .createTable('plans')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('case_id', 'text', (c) => c.notNull().references('cases.id'))
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('member_views', 'text', (c) => c.notNull())
    .addColumn('goals', 'text', (c) => c.notNull())
    .addColumn('change_note', 'text')
    .addColumn('authored_by_user_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('authored_by_organization_id', 'text', (c) => c.notNull().references('organizations.id'))
    .addColumn('authored_at', 'text', (c) => c.notNull())
    .addColumn('submitted_at', 'text')
    .addColumn('approved_meeting_id', 'text', (c) => c.references('meetings.id'))
    .addColumn('approved_at', 'text')
    .addColumn('approved_by_user_id', 'text', (c) => c.references('users.id'))
    .addColumn('approval_note', 'text')
    .addUniqueConstraint('plans_case_version', ['case_id', 'version'])
    .execute();
  await db.schema.createIndex('plans_status').on('plans').columns(['status', 'case_id']).execute();

  await db.schema
    .createTable('plan_actions')
    .addColumn('plan_id', 'text', (c) => c.notNull().references('plans.id'))
    .addColumn('action_key', 'text', (c) => c.notNull())
    .addColumn('case_id', 'text', (c) => c.notNull().references('cases.id'))
    .addColumn('goal_key', 'text')
    .addColumn('person_id', 'text', (c) => c.references('persons.id'))
    .addColumn('text', 'text', (c) => c.notNull())
    .addColumn('organization_id', 'text', (c) => c.notNull().references('organizations.id'))
    .addColumn('start_on', 'text', (c) => c.notNull())
    .addColumn('review_on', 'text', (c) => c.notNull())
    .addColumn('position', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('plan_actions_pk', ['plan_id', 'action_key'])
    .execute();
  await db.schema.createIndex('plan_actions_review').on('plan_actions').columns(['review_on', 'plan_id']).execute();

  await db.schema
    .createTable('monitoring_entries')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('case_id', 'text', (c) => c.notNull().references('cases.id'))
    .addColumn('plan_id', 'text', (c) => c.references('plans.id'))
    .addColumn('action_key', 'text')
    .addColumn('person_id', 'text', (c) => c.references('persons.id'))
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('note', 'text', (c) => c.notNull())
    .addColumn('person_view', 'text')
    .addColumn('next_review_on', 'text')
    .addColumn('author_user_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('author_organization_id', 'text', (c) => c.notNull().references('organizations.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('monitoring_entries_case').on('monitoring_entries').columns(['case_id', 'created_at']).execute();

  await db.schema
    .createTable('advisor_profiles')
    .addColumn('user_id', 'text', (c) => c.primaryKey().references('users.id'))
    .addColumn('fields', 'text', (c) => c.notNull())
    .addColumn('affiliation', 'text')
    .addColumn('note', 'text')
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('updated_by_user_id', 'text', (c) => c.notNull().references('users.id'))
    .execute();

  await db.schema
    .createTable('advice_requests')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('case_id', 'text', (c) => c.notNull().references('cases.id'))
    .addColumn('advisor_user_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('question', 'text', (c) => c.notNull())
    .addColumn('basis_kind', 'text', (c) => c.notNull())
    .addColumn('meeting_id', 'text', (c) => c.references('meetings.id'))
    .addColumn('include', 'text', (c) => c.notNull())
    .addColumn('snapshot', 'text', (c) => c.notNull())
    .addColumn('due_on', 'text')
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('requested_by_user_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('requested_by_organization_id', 'text', (c) => c.notNull().references('organizations.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('answer', 'text')
    .addColumn('answered_at', 'text')
    .execute();
  await db.schema.createIndex('advice_requests_advisor').on('advice_requests').columns(['advisor_user_id', 'created_at']).execute();
  await db.schema.createIndex('advice_requests_case').on('advice_requests').columns(['case_id', 'created_at']).execute();

  await db.schema
    .createTable('terminations')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('case_id', 'text', (c) => c.notNull().references('cases.id'))
    .addColumn('plan_id', 'text', (c) => c.references('plans.id'))
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('evaluations', 'text', (c) => c.notNull())
    .addColumn('watchers', 'text', (c) => c.notNull())
    .addColumn('recheck_on', 'text')
    .addColumn('note', 'text')
    .addColumn('author_user_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('author_organization_id', 'text', (c) => c.notNull().references('organizations.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('terminations_case').on('terminations').columns(['case_id', 'created_at']).execute();
}
