import { describe, expect, it } from 'vitest';
import { setClock } from '../lib/clock.ts';
import { base32Decode, base32Encode, totpCode, verifyTotp } from './totp.ts';

// RFC 6238 appendix B test vectors (SHA-1, secret "12345678901234567890"), last 6 digits.
const RFC_SECRET = base32Encode(Buffer.from('12345678901234567890'));
const VECTORS: [number, string][] = [
  [59, '287082'],
  [1111111109, '081804'],
  [1111111111, '050471'],
  [1234567890, '005924'],
  [2000000000, '279037'],
];

describe('TOTP', () => {
  it.each(VECTORS)('matches RFC 6238 at t=%i', (t, code) => {
    expect(totpCode(RFC_SECRET, Math.floor(t / 30))).toBe(code);
  });

  it('round-trips base32', () => {
    const buf = Buffer.from('Kasane 重ね', 'utf8');
    expect(base32Decode(base32Encode(buf)).equals(buf)).toBe(true);
  });

  it('accepts the neighbouring steps and refuses others', () => {
    const restore = setClock(() => 1234567890_000);
    try {
      const step = Math.floor(1234567890 / 30);
      expect(verifyTotp(RFC_SECRET, totpCode(RFC_SECRET, step))).toBe(true);
      expect(verifyTotp(RFC_SECRET, totpCode(RFC_SECRET, step - 1))).toBe(true);
      expect(verifyTotp(RFC_SECRET, totpCode(RFC_SECRET, step + 2))).toBe(false);
      expect(verifyTotp(RFC_SECRET, 'abcdef')).toBe(false);
    } finally {
      restore();
    }
  });
});
