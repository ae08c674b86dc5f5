/**
 * Loads the demo municipality (src/demo/demoData.ts) into a fresh database.
 *
 * Only the municipality and its administrator are created directly (as `kasane init` does);
 * everything else is replayed through the real HTTP API in-process (`app.inject`), signed in
 * as the demo user who would do it, so every demo row passes the same validation, policy
 * and audit as real use. Any refusal stops the load with the server's answer.
 * The caller owns the database and closes it.
 */
import type { FastifyInstance } from 'fastify';
import { createMunicipality } from '../commands/municipalityCreator.ts';
import { buildApp } from '../http/app.ts';
import { todayInTokyo } from '../ja/index.ts';
import type { Services } from '../services.ts';
import {
  DEMO_ADMIN,
  DEMO_ADMIN_ORGANIZATION_NAME,
  DEMO_MUNICIPALITY_NAME,
  DEMO_PASSWORD,
  type DemoHousehold,
  type DemoStep,
  households,
  type OrgKey,
  organizations,
  users,
} from './demoData.ts';
import { loadLifecycle } from './lifecycleDemo.ts';

export interface DemoLogin {
  loginId: string;
  password: string;
  who: string;
}

/** A Japan date (YYYY-MM-DD) `days` before today in Asia/Tokyo. */
export function daysAgo(days: number): string {
  const [y, m, d] = todayInTokyo().split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d - days)).toISOString().slice(0, 10);
}

export class DemoApi {
  private readonly tokens = new Map<string, string>();
  private readonly app: FastifyInstance;
  constructor(app: FastifyInstance) {
    this.app = app;
  }

  /** Calls the API as `loginId`; anything but 2xx throws with the problem body. */
  async call<T = { id: string }>(loginId: string, method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, payload?: unknown): Promise<T> {
    const token = await this.token(loginId);
    const res = await this.app.inject({
      method,
      url: `/api/v1${url}`,
      headers: { authorization: `Bearer ${token}`, 'accept-language': 'ja' },
      ...(payload === undefined ? {} : { payload: payload as object }),
    });
    if (res.statusCode < 200 || res.statusCode >= 300) {
      throw new Error(`demo data refused: ${loginId} ${method} ${url} → ${res.statusCode} ${res.body}`);
    }
    return res.json() as T;
  }

  private async token(loginId: string): Promise<string> {
    const known = this.tokens.get(loginId);
    if (known) return known;
    const res = await this.app.inject({ method: 'POST', url: '/api/v1/auth/token', payload: { loginId, password: DEMO_PASSWORD } });
    if (res.statusCode !== 200) throw new Error(`demo sign-in failed for ${loginId} → ${res.statusCode} ${res.body}`);
    const token = (res.json() as { token: string }).token;
    this.tokens.set(loginId, token);
    return token;
  }
}

export async function loadDemo(services: Services): Promise<DemoLogin[]> {
  await createMunicipality(services, {
    name: DEMO_MUNICIPALITY_NAME,
    adminLogin: DEMO_ADMIN.loginId,
    adminPassword: DEMO_PASSWORD,
    adminOrganizationName: DEMO_ADMIN_ORGANIZATION_NAME,
    isDemo: true,
  });
  const app = await buildApp(services);
  try {
    const api = new DemoApi(app);
    const admin = DEMO_ADMIN.loginId;

    const orgIds = {} as Record<OrgKey, string>;
    for (const [key, org] of Object.entries(organizations) as [OrgKey, (typeof organizations)[OrgKey]][]) {
      orgIds[key] = (await api.call(admin, 'POST', '/organizations', org)).id;
    }
    for (const u of users) {
      await api.call(admin, 'POST', '/users', {
        loginId: u.loginId,
        displayName: u.displayName,
        organizationId: orgIds[u.organization],
        roles: u.roles,
        password: DEMO_PASSWORD,
      });
    }
    const caseIds = new Map<string, string>();
    for (const household of households) caseIds.set(household.name, await loadHousehold(api, orgIds, household));
    await loadMeetings(api, caseIds);
    await loadLifecycle(api, orgIds, caseIds);
  } finally {
    await app.close();
  }
  return [
    { loginId: DEMO_ADMIN.loginId, password: DEMO_PASSWORD, who: DEMO_ADMIN.who },
    ...users.map((u) => ({ loginId: u.loginId, password: DEMO_PASSWORD, who: u.who })),
  ];
}

async function loadHousehold(api: DemoApi, orgIds: Record<OrgKey, string>, h: DemoHousehold) {
  const by = h.registeredBy;
  const personIds = new Map<string, string>();
  const person = (key: string) => {
    const id = personIds.get(key);
    if (!id) throw new Error(`demo data: unknown person ${key} in ${h.name}`);
    return id;
  };
  for (const { key, ...p } of h.persons) personIds.set(key, (await api.call(by, 'POST', '/persons', p)).id);
  const household = await api.call(by, 'POST', '/households', {
    name: h.name,
    address: h.address,
    members: h.members.map((m) => ({
      personId: person(m.person),
      relationship: m.relationship,
      livesTogether: m.livesTogether ?? true,
      keyPerson: m.keyPerson ?? false,
    })),
  });
  const c = h.case;
  const kase = await api.call(by, 'POST', '/cases', {
    householdId: household.id,
    leadOrganizationId: orgIds[c.lead],
    referralRoute: c.referralRoute,
    summary: c.summary,
    urgency: c.urgency,
    problems: c.problems.map((p) => ({ personId: person(p.person), type: p.type, ...(p.note ? { note: p.note } : {}) })),
    // Agencies already involved at intake join with the case; the rest are brought in later (新).
    team: c.steps.flatMap((s) => (s.do === 'team' && s.atIntake ? [{ organizationId: orgIds[s.organization], basis: s.basis }] : [])),
  });
  const consentIds = new Map<string, string>();
  for (const step of c.steps) {
    if (step.do === 'team' && step.atIntake) continue;
    await runStep(api, orgIds, kase.id, step, person, consentIds);
  }
  return kase.id as string;
}

/**
 * The seed's two meetings: a 支援会議 (社会福祉法106条の6) on the unconsented 齋藤家, convened
 * by the chair with the agencies the case needs and a role assignment; and a 重層的支援会議 on
 * the consented 渡邉家, whose consents name every member's organization (rule 3).
 */
async function loadMeetings(api: DemoApi, caseIds: Map<string, string>) {
  const users = ((await api.call(DEMO_ADMIN.loginId, 'GET', '/users')) as unknown as { items: { id: string; loginId: string; organizationId: string }[] })
    .items;
  const user = (loginId: string) => {
    const u = users.find((x) => x.loginId === loginId);
    if (!u) throw new Error(`demo data: unknown user ${loginId}`);
    return u;
  };
  const day = (days: number, hour: number) => {
    const d = new Date(Date.now() + days * 86_400_000 + 9 * 3_600_000);
    return `${d.toISOString().slice(0, 10)}T${String(hour).padStart(2, '0')}:00:00+09:00`;
  };
  const saito = caseIds.get('齋藤家');
  const watanabe = caseIds.get('渡邉家');
  if (!saito || !watanabe) throw new Error('demo data: the meeting households are missing');
  const support = await api.call('chair', 'POST', '/meetings', {
    kind: 'support',
    title: '支援会議（随時）— 8050世帯の在宅生活の継続について',
    startsAt: day(2, 14),
    place: '市役所本庁舎 3階 第2会議室',
    chairUserId: user('chair').id,
    memberUserIds: ['hoken', 'houkatsu', 'caremane', 'byoin', 'coord'].map((l) => user(l).id),
    caseIds: [saito],
    purposes: {
      [saito]: '父と長男の退院後の在宅生活を支えるため、各機関の把握している状況を共有し、役割分担を決める。本人同意が得られていないため支援会議で扱う。',
    },
  });
  await api.call('chair', 'POST', `/meetings/${support.id}/assignments`, {
    caseId: saito,
    organizationId: user('houkatsu').organizationId,
    task: '退院前カンファレンスに参加し、母の介護サービス再開を調整する。',
  });
  await api.call('chair', 'POST', '/meetings', {
    kind: 'multilayer',
    title: '重層的支援会議（定例）— 家計と就労の支援プラン',
    startsAt: day(9, 10),
    online: true,
    chairUserId: user('chair').id,
    memberUserIds: ['coord', 'shakyo', 'hellowork'].map((l) => user(l).id),
    caseIds: [watanabe],
    purposes: { [watanabe]: '家計改善と就労支援のプランの適切性を確認し、役割分担を決める。' },
    recurrence: { frequency: 'monthly', count: 3 },
  });
}

async function runStep(
  api: DemoApi,
  orgIds: Record<OrgKey, string>,
  caseId: string,
  step: DemoStep,
  person: (key: string) => string,
  consentIds: Map<string, string>,
) {
  switch (step.do) {
    case 'team':
      await api.call(step.by, 'POST', `/cases/${caseId}/team`, { organizationId: orgIds[step.organization], basis: step.basis });
      return;
    case 'consent': {
      const consent = await api.call(step.by, 'POST', `/persons/${person(step.person)}/consents`, {
        obtainedOn: daysAgo(step.obtainedDaysAgo),
        method: step.method,
        ...(step.givenBy ? { givenBy: step.givenBy } : {}),
        organizationIds: step.organizations.map((o) => orgIds[o]),
        purposes: step.purposes,
        includesTaxInfo: step.includesTaxInfo,
      });
      if (step.key) consentIds.set(step.key, consent.id);
      return;
    }
    case 'withdraw': {
      const id = consentIds.get(step.consent);
      if (!id) throw new Error(`demo data: unknown consent ${step.consent}`);
      await api.call(step.by, 'POST', `/consents/${id}/withdraw`, { withdrawnOn: daysAgo(step.withdrawnDaysAgo) });
      return;
    }
    case 'record':
      await api.call(step.by, 'POST', `/cases/${caseId}/records`, {
        ...(step.person ? { personId: person(step.person) } : {}),
        body: step.body,
        classification: step.classification,
      });
      return;
    case 'status':
      await api.call(step.by, 'POST', `/cases/${caseId}/status`, {
        to: step.to,
        ...(step.reason ? { reason: step.reason } : {}),
        ...(step.note ? { note: step.note } : {}),
      });
      return;
  }
}
