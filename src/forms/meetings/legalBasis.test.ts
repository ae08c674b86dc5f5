import { describe, expect, it } from 'vitest';
import { DESIGNATED_BODIES } from '../../policy/meeting.ts';
import {
  confidentialityClause,
  isKnownLegalBasis,
  isStatutoryConfidentiality,
  MEETING_LEGAL_BASES,
  MEETING_LEGAL_BASIS_CODES,
  meetingLegalBasis,
} from './legalBasis.ts';

const DESIGNATED = ['designated:support-coordination', 'designated:community-care', 'designated:independence-council', 'designated:child-protection'];

describe('MEETING_LEGAL_BASES', () => {
  it('has 支援会議, consent and the four designated bodies', () => {
    expect([...MEETING_LEGAL_BASIS_CODES].sort()).toEqual(['art106-6', 'consent', ...DESIGNATED].sort());
  });

  it('covers every designated body the meeting policy knows', () => {
    for (const body of DESIGNATED_BODIES) expect(isKnownLegalBasis(`designated:${body}`), body).toBe(true);
  });

  it('keys each entry by its own code', () => {
    for (const [code, basis] of Object.entries(MEETING_LEGAL_BASES)) expect(basis.code).toBe(code);
  });

  it('cites an unverified penalty by the duty it punishes, never by a guessed article number', () => {
    for (const basis of Object.values(MEETING_LEGAL_BASES)) {
      if (basis.penalty && !basis.penalty.article.verified) expect(basis.penalty.article.ja).toMatch(/（.+違反の罰則）$/u);
    }
  });

  it('states penalties as the law reads today (拘禁刑, not 懲役)', () => {
    for (const basis of Object.values(MEETING_LEGAL_BASES)) {
      if (!basis.penalty) continue;
      expect(basis.penalty.ja).toMatch(/^1年以下の拘禁刑又は\d+万円以下の罰金$/u);
      expect(basis.penalty.ja).not.toContain('懲役');
    }
  });

  it('throws on an unknown code', () => {
    expect(() => meetingLegalBasis('designated:unknown')).toThrow(RangeError);
    expect(() => confidentialityClause('art106')).toThrow(/Unknown meeting legal basis/);
    expect(isKnownLegalBasis('toString')).toBe(false);
  });
});

describe('isStatutoryConfidentiality', () => {
  it('is true for 支援会議 and every designated body', () => {
    expect(isStatutoryConfidentiality('art106-6')).toBe(true);
    for (const code of DESIGNATED) expect(isStatutoryConfidentiality(code), code).toBe(true);
  });

  it('is false for a consent-based meeting and for unknown codes', () => {
    expect(isStatutoryConfidentiality('consent')).toBe(false);
    expect(isStatutoryConfidentiality('designated:unknown')).toBe(false);
    expect(isStatutoryConfidentiality('')).toBe(false);
  });
});

describe('confidentialityClause', () => {
  it('支援会議: the duty of 社会福祉法106条の6 and its penalty with 拘禁刑 and 100万円', () => {
    const c = confidentialityClause('art106-6');
    expect(c.title).toContain('社会福祉法第106条の6第5項');
    expect(c.text).toContain('社会福祉法第106条の6に基づく支援会議');
    expect(c.text).toContain('正当な理由がなく');
    expect(c.text).toContain('1年以下の拘禁刑又は100万円以下の罰金');
    expect(c.text).toContain('令和4年法律第67号');
    expect(c.text).toContain('支援会議限り');
    expect(c.text).toContain('地方税法第22条');
    expect(c.article).toBe('社会福祉法第106条の6第5項、社会福祉法（第106条の6第5項違反の罰則）');
  });

  it('consent: a reminder without any penalty and without the 支援会議限り label', () => {
    const c = confidentialityClause('consent');
    expect(c.text).toContain('本人の同意');
    expect(c.text).toContain('地方公務員法第34条');
    expect(c.article).toContain('本人同意');
    for (const word of ['拘禁刑', '懲役', '罰金', '106条の6', '支援会議限り']) expect(c.text + c.article + c.title).not.toContain(word);
  });

  it.each([
    ['designated:support-coordination', '支援調整会議', '生活困窮者自立支援法第9条第5項', '100万円'],
    ['designated:community-care', '地域ケア会議', '介護保険法第115条の48第5項', '100万円'],
    ['designated:independence-council', '自立支援協議会', '障害者の日常生活及び社会生活を総合的に支援するための法律第89条の3', '100万円'],
    ['designated:child-protection', '要保護児童対策地域協議会', '児童福祉法第25条の5', '50万円'],
  ])('%s: its own body, law, article and penalty', (code, body, duty, fine) => {
    const c = confidentialityClause(code);
    expect(c.text).toContain(body);
    expect(c.text).toContain(duty);
    expect(c.article).toContain(duty);
    expect(c.text).toContain(`1年以下の拘禁刑又は${fine}以下の罰金`);
    expect(c.text).not.toContain('社会福祉法第106条の6');
    expect(c.text).toContain('支援会議限り');
  });

  it('has an English version of every clause', () => {
    for (const code of MEETING_LEGAL_BASIS_CODES) {
      const c = confidentialityClause(code, 'en');
      expect(c.title.length).toBeGreaterThan(0);
      expect(c.article.length).toBeGreaterThan(0);
      expect(c.text).toMatch(/confidential|secret/i);
    }
    expect(confidentialityClause('art106-6', 'en').text).toContain('1,000,000 yen');
    expect(confidentialityClause('art106-6', 'en').article).toContain('Article 106-6');
    expect(confidentialityClause('consent', 'en').text).not.toMatch(/imprisonment|fine/i);
  });
});
