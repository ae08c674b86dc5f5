import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import * as codes from '../../ja/codeLists.ts';
import type { Services } from '../../services.ts';
import { actorOf } from '../context.ts';

export async function metaRoutes(app: FastifyInstance, services: Services) {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get('/health', { config: { public: true }, schema: { tags: ['meta'], summary: '死活監視' } }, async () => ({ status: 'ok' }));

  r.get('/openapi.json', { config: { public: true }, schema: { hide: true } }, async () => app.swagger());

  r.get('/me', { schema: { tags: ['meta'], summary: 'ログイン中の利用者' } }, async (req) => {
    const a = actorOf(req);
    const m = await services.db.selectFrom('municipality').select(['name', 'isDemo']).executeTakeFirst();
    return {
      id: a.userId,
      loginId: a.loginId,
      displayName: a.displayName,
      organizationId: a.organizationId,
      organizationName: a.organizationName,
      roles: a.roles,
      municipality: { name: m?.name ?? '', isDemo: m?.isDemo === 1 },
    };
  });

  r.get('/code-lists', { schema: { tags: ['meta'], summary: 'コード表（既定値。自治体が追加できる）' } }, async () => ({
    organizationKinds: codes.organizationKinds,
    organizationFields: codes.organizationFields,
    problemTypes: codes.problemTypes,
    relationships: codes.relationships,
    referralRoutes: codes.referralRoutes,
    closingReasons: codes.closingReasons,
    caseStatuses: codes.caseStatuses,
    urgencies: codes.urgencies,
    consentMethods: codes.consentMethods,
    givenByRelations: codes.givenByRelations,
    recordClassifications: codes.recordClassifications,
    roles: codes.roles,
    teamBases: codes.teamBases,
    sexes: codes.sexes,
  }));
}
