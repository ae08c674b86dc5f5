/**
 * The write driver of the safety nets: writes persons, households, cases and records through
 * the HTTP API, each built only on entities whose creation was acknowledged, and journals
 * every ACKNOWLEDGED write (201 with an id) with what was sent.
 */
import { api, type Rng } from './proc.ts';

const KANA = [...'アイウエオカキクケコサシスセソタチツテトナニヌネノハヒフヘホマミムメモヤユヨラリルレロワ'];

export interface Journal {
  persons: Map<string, { familyName: string }>;
  households: Map<string, { personIds: string[] }>;
  cases: Map<string, { householdId: string; problemPersonIds: string[] }>;
  records: Map<string, { caseId: string; body: string }>;
}

export interface Tally {
  attempted: number;
  acknowledged: number;
  /** Requests cut off by the kill (no answer): they may or may not have committed. */
  unanswered: number;
  unexpected: string[];
}

/** The driver: picks a write that only uses entities whose creation was acknowledged. */
export class Driver {
  readonly journal: Journal = { persons: new Map(), households: new Map(), cases: new Map(), records: new Map() };
  readonly tally: Tally = { attempted: 0, acknowledged: 0, unanswered: 0, unexpected: [] };
  private freePersons: string[] = [];
  private householdsWithoutCase: string[] = [];
  private caseIds: string[] = [];
  private n = 0;
  private readonly r: Rng;
  private readonly who: { token: string; organizationId: string };
  private readonly tag: string;
  constructor(r: Rng, who: { token: string; organizationId: string }, tag: string) {
    this.r = r;
    this.who = who;
    this.tag = tag;
  }

  /** Acknowledged writes so far. */
  get acknowledged(): number {
    return this.tally.acknowledged;
  }

  /** One writer: loops until `stop` is set or the server stops answering. */
  async writer(url: string, stop: { value: boolean }): Promise<void> {
    while (!stop.value) {
      if (!(await this.writeOnce(url))) return;
    }
  }

  private async writeOnce(url: string): Promise<boolean> {
    const r = this.r;
    const roll = r.next();
    const n = ++this.n;
    const token = this.who.token;
    let what: string;
    let send: () => Promise<void>;
    if (roll < 0.25 && this.freePersons.length >= 1) {
      const members = this.freePersons.splice(0, Math.min(this.freePersons.length, r.int(1, 3)));
      what = 'POST /households';
      send = async () => {
        const res = await api(url, token, 'POST', '/households', {
          name: `耐障害${this.tag}${n}世帯`,
          members: members.map((personId, i) => ({ personId, relationship: i === 0 ? '本人' : '子', keyPerson: i === 0 })),
        });
        this.check(res.status, 201, what, res.text);
        this.journal.households.set(res.json.id, { personIds: members });
        this.householdsWithoutCase.push(res.json.id);
      };
    } else if (roll < 0.45 && this.householdsWithoutCase.length >= 1) {
      const householdId = this.householdsWithoutCase.shift()!;
      const personIds = this.journal.households.get(householdId)!.personIds;
      const problemPersonIds = personIds.slice(0, r.int(1, personIds.length));
      what = 'POST /cases';
      send = async () => {
        const res = await api(url, token, 'POST', '/cases', {
          householdId,
          leadOrganizationId: this.who.organizationId,
          referralRoute: '本人・家族',
          summary: `キル試験 ${this.tag}-${n}`,
          urgency: 'normal',
          problems: problemPersonIds.map((personId) => ({ personId, type: 'ひきこもり' })),
        });
        this.check(res.status, 201, what, res.text);
        this.journal.cases.set(res.json.id, { householdId, problemPersonIds });
        this.caseIds.push(res.json.id);
      };
    } else if (roll < 0.7 && this.caseIds.length >= 1) {
      const caseId = r.pick(this.caseIds);
      const body = `経過記録 ${this.tag}-${n}: 訪問し状況を確認した。`;
      what = 'POST /cases/:id/records';
      send = async () => {
        const res = await api(url, token, 'POST', `/cases/${caseId}/records`, { body, classification: 'normal' });
        this.check(res.status, 201, what, res.text);
        this.journal.records.set(res.json.id, { caseId, body });
      };
    } else {
      const familyName = `耐障${this.tag}${n}`;
      // Distinct kana: the same reading for every person would make each one a possible
      // duplicate of all the others (and each POST log 50 views).
      const givenNameKana = Array.from({ length: 5 }, () => r.pick(KANA)).join('');
      what = 'POST /persons';
      send = async () => {
        const res = await api(url, token, 'POST', '/persons', {
          familyName,
          givenName: '花子',
          familyNameKana: 'タイショウ',
          givenNameKana,
          birthDate: '1975-06-01',
          sex: 'female',
        });
        this.check(res.status, 201, what, res.text);
        this.journal.persons.set(res.json.id, { familyName });
        this.freePersons.push(res.json.id);
      };
    }
    this.tally.attempted += 1;
    try {
      await send();
      this.tally.acknowledged += 1;
      return true;
    } catch (err) {
      if (err instanceof UnexpectedStatus) return true;
      // No answer: the server was killed under the request.
      this.tally.unanswered += 1;
      return false;
    }
  }

  private check(status: number, expected: number, what: string, text: string) {
    if (status !== expected) {
      this.tally.unexpected.push(`${what} → ${status} ${text.slice(0, 200)}`);
      throw new UnexpectedStatus();
    }
  }
}

class UnexpectedStatus extends Error {}
