import type { Redactor } from '@gmart/streams';
import { findCardNumbers } from './find-card-numbers';
import { maskCardNumbersInBytes } from './mask-card-numbers-in-bytes';

/** Options of {@link redact}. */
export interface RedactOptions {
  /**
   * Redact only numbers passing the Luhn check. Default `false`: for logs every card-shaped run of
   * 13-19 digits is masked, at the price of masking the odd timestamp too.
   */
  readonly requireLuhn?: boolean;
}

/**
 * Returns `text` with every card number in it masked as {@link maskCardNumber} does (last 4
 * digits visible, separators kept). Meant for log lines and error messages built from untrusted
 * input.
 *
 * @example redact('paid with 4111-1111-1111-1111') // 'paid with xxxx-xxxx-xxxx-1111'
 */
export function redact(text: string, options: RedactOptions = {}): string {
  const matches = findCardNumbers(text, { requireLuhn: options.requireLuhn ?? false });
  if (matches.length === 0) return text;
  let out = '';
  let last = 0;
  for (const m of matches) {
    out += text.slice(last, m.index) + m.masked;
    last = m.index + m.length;
  }
  return out + text.slice(last);
}

/**
 * {@link redact} for raw bytes (a record key or value): every card-shaped number masked in place
 * of its digits, every other byte unchanged (see {@link maskCardNumbersInBytes}). `null` stays
 * `null`; the buffer is returned as is when it holds no card number.
 */
export function redactBytes(value: Buffer | null, options: RedactOptions = {}): Buffer | null {
  if (value === null) return null;
  return maskCardNumbersInBytes(value, { requireLuhn: options.requireLuhn ?? false });
}

/**
 * G-Mart's card redactor for `@gmart/streams` (`StreamsConfig.redactor`) and
 * `@gmart/nest-streams` (the `redactor` service option): every card-shaped 13-19 digit run (Luhn
 * or not, any card separators) in a log line, error message, dead-letter key, value or header is
 * masked to its last 4 digits; bytes keep their length and every non-digit byte.
 */
export const cardNumberRedactor: Redactor = Object.freeze({
  redactText: (text: string) => redact(text),
  redactBytes: (bytes: Buffer) => maskCardNumbersInBytes(bytes, { requireLuhn: false }),
});
