import { findCardNumbers } from './find-card-numbers';

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
 * {@link redact} for a raw record value (UTF-8): what a dead-letter handler writes instead of the
 * original bytes. `null` stays `null`; the buffer is returned as is when it holds no card number.
 */
export function redactBytes(value: Buffer | null, options: RedactOptions = {}): Buffer | null {
  if (value === null) return null;
  const text = value.toString('utf8');
  const masked = redact(text, options);
  return masked === text ? value : Buffer.from(masked, 'utf8');
}
