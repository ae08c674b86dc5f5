/**
 * Role assignments as tasks (役割分担): each belongs to an organization, not to the team. The
 * assignee keeps the task text after the meeting's materials close (rule 5).
 */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { IdParams, TaskStatusBody } from '../../domain/schemas.ts';
import { nowIso } from '../../lib/clock.ts';
import { actsForOrganization } from '../../policy/actor.ts';
import type { Services } from '../../services.ts';
import { actorOf } from '../context.ts';
import { forbidden, notFound } from '../errors.ts';
import { auditReads, writeWithAudit } from '../transaction.ts';

export async function taskRoutes(app: FastifyInstance, services: Services) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { db } = services;

  const present = (t: {
    id: string;
    meetingId: string;
    caseId: string;
    organizationId: string;
    task: string;
    dueOn: string | null;
    status: string;
    createdAt: string;
    updatedAt: string;
    meetingTitle: string;
    meetingStartsAt: string;
  }) => ({
    id: t.id,
    meetingId: t.meetingId,
    meetingTitle: t.meetingTitle,
    meetingStartsAt: t.meetingStartsAt,
    caseId: t.caseId,
    organizationId: t.organizationId,
    task: t.task,
    dueOn: t.dueOn,
    status: t.status,
    createdAt: t.createdAt,
    updatedAt: t.updatedAt,
  });

  const tasksOf = (organizationId: string) =>
    db
      .selectFrom('tasks')
      .innerJoin('meetings', 'meetings.id', 'tasks.meetingId')
      .selectAll('tasks')
      .select(['meetings.title as meetingTitle', 'meetings.startsAt as meetingStartsAt'])
      .where('tasks.organizationId', '=', organizationId);

  r.get('/tasks', { schema: { tags: ['meetings'], summary: '自機関のタスク（役割分担）' } }, async (req) => {
    const actor = actorOf(req);
    if (!actsForOrganization(actor)) return { items: [] };
    const rows = await tasksOf(actor.organizationId).orderBy('tasks.dueOn').orderBy('tasks.createdAt').limit(500).execute();
    await auditReads(services, req, [{ type: 'TASKS_VIEWED', payload: { count: rows.length, taskIds: rows.map((t) => t.id) } }]);
    return { items: rows.map(present) };
  });

  r.post(
    '/tasks/:id/status',
    { schema: { tags: ['meetings'], summary: 'タスクの状況を更新（割り当てられた機関）', params: IdParams, body: TaskStatusBody } },
    async (req) => {
      const actor = actorOf(req);
      const task = await tasksOf(actor.organizationId).where('tasks.id', '=', req.params.id).executeTakeFirst();
      if (!task) throw notFound();
      if (!actsForOrganization(actor)) throw forbidden('rule.task_org_only');
      const updatedAt = nowIso();
      await writeWithAudit(services, req, async (tx) => {
        await tx.updateTable('tasks').set({ status: req.body.status, updatedAt }).where('id', '=', task.id).execute();
        return {
          result: null,
          events: [
            {
              type: 'TASK_STATUS_CHANGED',
              caseId: task.caseId,
              subjectType: 'task',
              subjectId: task.id,
              basis: [{ ground: 'task', taskId: task.id }],
              payload: { from: task.status, to: req.body.status },
            },
          ],
        };
      });
      return present({ ...task, status: req.body.status, updatedAt });
    },
  );
}
