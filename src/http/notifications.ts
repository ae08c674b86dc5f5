/**
 * The in-app inbox (通知): one row addressed to one user, to every user of an organization, or
 * to every user with a role — written in the transaction of the change it announces.
 */
import type { Transaction } from 'kysely';
import type { DB } from '../db/schema.ts';
import { nowIso } from '../lib/clock.ts';
import { newId } from '../lib/ids.ts';

export type Recipient = { userId: string } | { organizationId: string } | { role: string };

export interface Notice {
  kind: string;
  title: string;
  body: string;
  subjectType: string;
  subjectId: string;
  createdAt?: string;
}

export async function notify(tx: Transaction<DB>, to: Recipient, n: Notice): Promise<void> {
  await tx
    .insertInto('notifications')
    .values({
      id: newId(),
      userId: 'userId' in to ? to.userId : null,
      organizationId: 'organizationId' in to ? to.organizationId : null,
      role: 'role' in to ? to.role : null,
      ...n,
      createdAt: n.createdAt ?? nowIso(),
    })
    .execute();
}
