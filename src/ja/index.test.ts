import { describe, expect, it } from 'vitest';
import * as ja from './index.ts';

describe('index', () => {
  it('re-exports the public functions', () => {
    for (const name of [
      'foldVariants',
      'toKanaKey',
      'toNameKey',
      'isKana',
      'personSearchKeys',
      'queryKeys',
      'hasForbiddenControlChars',
      'formatWareki',
      'formatWarekiDateTime',
      'todayInTokyo',
      'ageOn',
      'fiscalYear',
      'parseWareki',
      'label',
    ] as const) {
      expect(typeof ja[name]).toBe('function');
    }
    expect(ja.TAX_FIELD).toBe('税務');
  });
});
