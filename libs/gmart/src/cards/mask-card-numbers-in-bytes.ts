import { findCardNumbers } from './find-card-numbers';

const X = 0x78; // 'x'

function isDigitByte(b: number): boolean {
  return b >= 0x30 && b <= 0x39;
}

/** Options of {@link maskCardNumbersInBytes}. */
export interface MaskBytesOptions {
  /**
   * Mask only Luhn-valid runs (default `true`). With `false` every card-shaped run of 13-19 digits
   * is masked, and any Luhn-valid number left over in an odd grouping loses every digit (what a
   * dead-letter record needs: nothing card-like may survive).
   */
  readonly requireLuhn?: boolean;
}

/**
 * Masks every card number in raw bytes (a record key or value, a header), keeping its last 4
 * digits: each masked digit byte becomes `x`, every other byte is untouched, so the result has
 * the input's length and a binary key stays byte for byte what it was. Bytes are read as Latin-1
 * so that text offsets are byte offsets whatever the encoding (card digits are ASCII in UTF-8
 * too).
 *
 * Returns `bytes` itself when there is nothing to mask, else a masked copy (the input is never
 * modified: it may be shared with the consumed record).
 */
export function maskCardNumbersInBytes(bytes: Buffer, options: MaskBytesOptions = {}): Buffer {
  const requireLuhn = options.requireLuhn ?? true;
  const text = bytes.toString('latin1');
  const matches = findCardNumbers(text, { requireLuhn });
  let out: Buffer | undefined;
  for (const m of matches) {
    out ??= Buffer.from(bytes);
    // Keep the last 4 digits of the run, mask every digit before them.
    let kept = 0;
    for (let i = m.index + m.length - 1; i >= m.index; i--) {
      if (!isDigitByte(out[i]!)) continue;
      if (kept < 4) kept++;
      else out[i] = X;
    }
  }
  if (!requireLuhn) {
    const check = out ?? bytes;
    if (findCardNumbers(check.toString('latin1'), { requireLuhn: true }).length > 0) {
      out ??= Buffer.from(bytes);
      for (let i = 0; i < out.length; i++) if (isDigitByte(out[i]!)) out[i] = X;
    }
  }
  return out ?? bytes;
}
