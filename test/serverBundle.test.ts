/**
 * The ahead-of-time server bundle (bin/server-bundle.mjs): `kasane` runs it only while it is
 * newer than every source file, so an edit never runs old code.
 */
import { mkdirSync, mkdtempSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
// @ts-expect-error — plain JavaScript module without type declarations
import { buildServerBundle, bundleIsFresh, bundlePath } from '../bin/server-bundle.mjs';

const root = mkdtempSync(join(tmpdir(), 'kasane-bundle-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function write(path: string, text: string) {
  mkdirSync(join(root, path, '..'), { recursive: true });
  writeFileSync(join(root, path), text);
}

describe('server bundle', () => {
  it('is built from src/, fresh until a source changes, stale when an entry point is missing', async () => {
    write('src/cli/main.ts', "import { greet } from '../lib/greet.ts';\nexport const main = (): string => greet('重ね');\n");
    write('src/lib/greet.ts', "export const greet = (name: string): string => 'こんにちは ' + name;\n");
    expect(bundleIsFresh(root)).toBe(false);
    await buildServerBundle(root);
    expect(bundleIsFresh(root)).toBe(true);
    const bundled = await import(`${bundlePath(root)}?v=1`);
    expect(bundled.main()).toBe('こんにちは 重ね');

    // A test file edited after the build does not make the bundle stale; a source file does.
    const later = statSync(bundlePath(root)).mtimeMs / 1000 + 10;
    write('src/lib/greet.test.ts', '');
    utimesSync(join(root, 'src/lib/greet.test.ts'), later, later);
    expect(bundleIsFresh(root)).toBe(true);
    utimesSync(join(root, 'src/lib/greet.ts'), later, later);
    expect(bundleIsFresh(root)).toBe(false);
    utimesSync(join(root, 'src/lib/greet.ts'), 1, 1);
    utimesSync(join(root, 'src/lib/greet.test.ts'), 1, 1);
    await buildServerBundle(root);
    expect(bundleIsFresh(root)).toBe(true);

    // A worker entry added to the sources needs its own output before the bundle counts as fresh.
    write('src/audit/verifyWorker.ts', 'export {};\n');
    utimesSync(join(root, 'src/audit/verifyWorker.ts'), 1, 1);
    expect(bundleIsFresh(root)).toBe(false);
    await buildServerBundle(root);
    expect(bundleIsFresh(root)).toBe(true);
  });
});
