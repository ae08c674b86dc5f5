import { describe, expect, it } from 'vitest';
import { newId } from './ids.ts';

describe('newId', () => {
  it('is 32 lowercase hex characters, unique across refills of the random pool, and sorts by time', async () => {
    // 1,000 ids draw 10,000 random bytes: the 4 KiB pool is refilled twice on the way.
    const ids = Array.from({ length: 1000 }, () => newId());
    for (const id of ids) expect(id).toMatch(/^[0-9a-f]{32}$/);
    expect(new Set(ids).size).toBe(1000);
    expect(new Set(ids.map((id) => id.slice(12))).size).toBe(1000);
    const before = newId();
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(newId() > before).toBe(true);
  });
});
