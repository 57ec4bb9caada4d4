import { findCardNumbers } from '@gmart/gmart';

const X = 0x78; // 'x'

function isDigitByte(b: number): boolean {
  return b >= 0x30 && b <= 0x39;
}

/**
 * Masks, inside `buf` itself, every card-shaped run of 13-19 digits (grouped by single spaces or
 * dashes, Luhn or not) so that only its last 4 digits stay visible. The buffer keeps its length:
 * each masked digit byte becomes `x`. Bytes are read as Latin-1 so that text offsets are byte
 * offsets whatever the encoding; card digits are ASCII in UTF-8 too.
 *
 * In place, without copying the text back: {@link maskDeadLetterRecord} applies it to copies of
 * the dead-letter record's buffers. Returns the number of card numbers masked.
 */
export function maskCardNumbersInPlace(buf: Buffer): number {
  const matches = findCardNumbers(buf.toString('latin1'), { requireLuhn: false });
  for (const m of matches) {
    // Keep the last 4 digits of the run, mask every digit before them.
    let kept = 0;
    for (let i = m.index + m.length - 1; i >= m.index; i--) {
      if (!isDigitByte(buf[i]!)) continue;
      if (kept < 4) kept++;
      else buf[i] = X;
    }
  }
  // Belt and braces: a Luhn-valid number left over (an odd grouping) loses every digit.
  if (findCardNumbers(buf.toString('latin1'), { requireLuhn: true }).length > 0) {
    for (let i = 0; i < buf.length; i++) if (isDigitByte(buf[i]!)) buf[i] = X;
  }
  return matches.length;
}
