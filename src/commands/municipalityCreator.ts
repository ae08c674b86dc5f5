/**
 * Creates a municipality in an empty database: the schema, the municipality row, the
 * administrators' organization and the first administrator. One database holds one
 * municipality, so this refuses a database that already has one.
 */

import { SYSTEM_CONTEXT } from '../audit/events.ts';
import { recordAudit } from '../audit/writer.ts';
import type { KasaneDatabase } from '../db/connect.ts';
import { migrateToLatest } from '../db/migrate.ts';
import { nowIso } from '../lib/clock.ts';
import { newId } from '../lib/ids.ts';
import type { Services } from '../services.ts';
import { hashPassword } from './passwords.ts';

export class MunicipalityExistsError extends Error {}

export async function hasMunicipality(database: KasaneDatabase): Promise<boolean> {
  try {
    const row = await database.db.selectFrom('municipality').select('id').executeTakeFirst();
    return !!row;
  } catch {
    return false;
  }
}

export interface MunicipalityInput {
  name: string;
  adminLogin: string;
  adminPassword: string;
  isDemo?: boolean;
  adminOrganizationName?: string;
}

export async function createMunicipality(target: KasaneDatabase | Services, input: MunicipalityInput) {
  const database = 'database' in target ? target.database : target;
  const audit = 'database' in target ? target.audit : null;
  if (await hasMunicipality(database)) throw new MunicipalityExistsError('this database already holds a municipality');
  await migrateToLatest(database.db, database.dialect);
  audit?.anchor?.startNewChain();
  const now = nowIso();
  const orgId = newId();
  const userId = newId();
  const passwordHash = await hashPassword(input.adminPassword);
  const head = await database.db.transaction().execute(async (tx) => {
    await tx
      .insertInto('municipality')
      .values({ id: newId(), name: input.name, isDemo: input.isDemo ? 1 : 0, createdAt: now })
      .execute();
    await tx
      .insertInto('organizations')
      .values({
        id: orgId,
        name: input.adminOrganizationName ?? `${input.name} 情報システム担当`,
        kind: '行政機関',
        fields: JSON.stringify(['情報システム']),
        area: null,
        createdAt: now,
      })
      .execute();
    await tx
      .insertInto('users')
      .values({
        id: userId,
        loginId: input.adminLogin,
        displayName: 'システム管理者',
        organizationId: orgId,
        roles: JSON.stringify(['admin']),
        passwordHash,
        disabledAt: null,
        createdAt: now,
        updatedAt: now,
      })
      .execute();
    return recordAudit(
      tx,
      database.dialect,
      SYSTEM_CONTEXT,
      [
        { type: 'ORGANIZATION_CREATED', subjectType: 'organization', subjectId: orgId },
        { type: 'USER_CREATED', subjectType: 'user', subjectId: userId, payload: { roles: ['admin'] } },
      ],
      audit?.anchor ?? null,
    );
  });
  audit?.anchorHead(head);
  return { organizationId: orgId, adminUserId: userId };
}
