import { describe, expect, it } from 'vitest';
import * as lists from './codeLists.ts';
import { type CodeEntry, caseStatuses, closingReasons, codesOf, label, organizationFields, roles, TAX_FIELD } from './codeLists.ts';

const allLists = Object.entries(lists as Record<string, unknown>).filter((e): e is [string, readonly CodeEntry[]] => Array.isArray(e[1]));

describe('code lists', () => {
  it('exports the expected lists', () => {
    expect(allLists.map(([name]) => name).sort()).toEqual(
      [
        'caseStatuses',
        'closingReasons',
        'consentMethods',
        'givenByRelations',
        'organizationFields',
        'organizationKinds',
        'problemTypes',
        'recordClassifications',
        'referralRoutes',
        'relationships',
        'roles',
        'sexes',
        'teamBases',
        'urgencies',
      ].sort(),
    );
  });

  it.each(allLists)('%s has unique, non-empty codes and labels', (_name, list) => {
    expect(list.length).toBeGreaterThan(0);
    const codes = list.map((e) => e.code);
    expect(new Set(codes).size).toBe(codes.length);
    for (const e of list) {
      expect(e.code.trim()).not.toBe('');
      expect(e.ja.trim()).not.toBe('');
      expect(e.en.trim()).not.toBe('');
    }
  });

  it('includes the tax field', () => {
    expect(TAX_FIELD).toBe('税務');
    expect(codesOf(organizationFields)).toContain(TAX_FIELD);
  });

  it('uses stable ASCII codes for workflow lists', () => {
    expect(codesOf(caseStatuses)).toEqual(['intake', 'assessment', 'planning', 'in_support', 'closed']);
    expect(codesOf(closingReasons)).toEqual(['goal_achieved', 'suspended', 'moved_out', 'deceased', 'transferred', 'other']);
  });
});

describe('label', () => {
  it('looks up ja and en labels', () => {
    expect(label(caseStatuses, 'in_support', 'ja')).toBe('支援中');
    expect(label(caseStatuses, 'in_support', 'en')).toBe('In support');
    expect(label(roles, 'coordinator', 'ja')).toBe('相談支援包括化推進員');
    expect(label(closingReasons, 'transferred', 'ja')).toBe('他制度へ移行');
  });

  it('falls back to the raw code for municipality-added values', () => {
    expect(label(organizationFields, '防災', 'en')).toBe('防災');
  });
});
