import { randomBytes } from 'node:crypto';

/**
 * A time-ordered opaque id (48-bit millisecond time + 80 random bits, lowercase hex),
 * so that ids sort by creation in both databases without a sequence.
 */
export function newId(): string {
  const time = Date.now().toString(16).padStart(12, '0');
  return `${time}${randomBytes(10).toString('hex')}`;
}
