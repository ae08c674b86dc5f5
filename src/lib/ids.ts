import { randomFillSync } from 'node:crypto';

/**
 * Random bytes drawn from the CSPRNG a few kilobytes at a time: one call per id cost more
 * than the id (every audit row and record gets one; issue 6). Each byte is used once.
 */
const POOL = Buffer.alloc(4096);
let used = POOL.length;

function randomHex(bytes: number): string {
  if (used + bytes > POOL.length) {
    randomFillSync(POOL);
    used = 0;
  }
  used += bytes;
  return POOL.toString('hex', used - bytes, used);
}

/**
 * A time-ordered opaque id (48-bit millisecond time + 80 random bits, lowercase hex),
 * so that ids sort by creation in both databases without a sequence.
 */
export function newId(): string {
  const time = Date.now().toString(16).padStart(12, '0');
  return `${time}${randomHex(10)}`;
}
