/**
 * Runs the TypeScript migrations in src/db/migrations, in name order, on either dialect.
 * Migration files are named YYYYMMDDhhmm_verb_noun.ts and export up(db, dialect).
 */
import { type Kysely, type Migration, type MigrationProvider, Migrator } from 'kysely';
import type { DialectName } from './connect.ts';
import * as createCore from './migrations/202611281900_create_core.ts';
import * as createMeetings from './migrations/202611282000_create_meetings.ts';
import * as createRequestsAndHonoraria from './migrations/202611282100_create_requests_and_honoraria.ts';
import * as createConveningRequests from './migrations/202611282130_create_convening_requests.ts';
import * as createMeetingCaseExclusions from './migrations/202611282200_create_meeting_case_exclusions.ts';
import * as createSupportLifecycle from './migrations/202611290000_create_support_lifecycle.ts';
import * as createPersonSearchKeys from './migrations/202611290300_create_person_search_keys.ts';
import * as indexBreakGlassByUser from './migrations/202611290600_index_break_glass_by_user.ts';

type MigrationModule = { up(db: Kysely<any>, dialect: DialectName): Promise<void> };

// Listed explicitly (not read from the folder) so that a bundled or relocated build still
// finds every migration, in order.
const migrations: Record<string, MigrationModule> = {
  '202611281900_create_core': createCore,
  '202611282000_create_meetings': createMeetings,
  '202611282100_create_requests_and_honoraria': createRequestsAndHonoraria,
  '202611282130_create_convening_requests': createConveningRequests,
  '202611282200_create_meeting_case_exclusions': createMeetingCaseExclusions,
  '202611290000_create_support_lifecycle': createSupportLifecycle,
  '202611290300_create_person_search_keys': createPersonSearchKeys,
  '202611290600_index_break_glass_by_user': indexBreakGlassByUser,
};

class StaticProvider implements MigrationProvider {
  private readonly dialect: DialectName;
  constructor(dialect: DialectName) {
    this.dialect = dialect;
  }
  async getMigrations(): Promise<Record<string, Migration>> {
    const out: Record<string, Migration> = {};
    for (const [name, m] of Object.entries(migrations)) {
      out[name] = { up: (db) => m.up(db, this.dialect) };
    }
    return out;
  }
}

export async function migrateToLatest(db: Kysely<any>, dialect: DialectName): Promise<string[]> {
  const migrator = new Migrator({ db, provider: new StaticProvider(dialect) });
  const { error, results } = await migrator.migrateToLatest();
  if (error) throw error;
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
