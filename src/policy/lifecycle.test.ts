/** The part-by-part rule of the lifecycle scope (rules 2, 3), without a database. */
import { describe, expect, it } from 'vitest';
import { type LifecycleScope, lifecycleAbilities, seesPerson } from './lifecycle.ts';

const scope = (over: Partial<LifecycleScope>): LifecycleScope => ({
  caseId: 'c',
  access: null,
  all: false,
  personIds: new Set(),
  household: false,
  bases: [],
  meetingId: null,
  indexOnly: false,
  ...over,
});

describe('seesPerson', () => {
  it('the lead (all) sees every part, household parts included', () => {
    expect(seesPerson(scope({ all: true }), 'p1')).toBe(true);
    expect(seesPerson(scope({ all: true }), null)).toBe(true);
  });
  it('a consenting person opens only that person’s parts; household parts need every person with a problem', () => {
    const s = scope({ personIds: new Set(['p1']) });
    expect(seesPerson(s, 'p1')).toBe(true);
    expect(seesPerson(s, 'p2')).toBe(false);
    expect(seesPerson(s, null)).toBe(false);
    expect(seesPerson({ ...s, household: true }, null)).toBe(true);
  });
  it('nothing is writable without a case grant (a meeting ground reads only)', () => {
    expect(lifecycleAbilities(scope({ all: true, meetingId: 'm' }))).toEqual({
      editAssessment: false,
      editPlan: false,
      terminate: false,
      requestAdvice: false,
      monitor: false,
    });
  });
});
