import {
  FULLY_MASKED,
  GmartSerdes,
  PurchaseGenerator,
  SeededRandom,
  containsCardNumber,
  findCardNumbers,
  formatCardNumber,
  generateCardNumber,
  isLuhnValid,
  luhnCheckDigit,
  maskCardNumber,
  maskPurchase,
  redact,
  redactBytes,
} from '../src';

const digitsOf = (s: string) => s.replace(/[^0-9]/g, '');

describe('isLuhnValid', () => {
  it.each([
    '4111111111111111',
    '4111-1111-1111-1111',
    '4111 1111 1111 1111',
    '378282246310005',
    '6011111111111117',
    '4222222222222',
  ])('accepts the known-valid test number %s', (n) => expect(isLuhnValid(n)).toBe(true));
  it.each(['4111111111111112', '1234-5678-9012-1122', '', '7', 'abcd', '4111x1111'])('rejects %j', (n) =>
    expect(isLuhnValid(n)).toBe(false),
  );
  it('check digit makes every random body valid, and every other digit invalid', () => {
    const r = new SeededRandom(7);
    for (let i = 0; i < 500; i++) {
      const body = r.digits(r.int(12, 18));
      const check = luhnCheckDigit(body);
      expect(isLuhnValid(body + check)).toBe(true);
      expect(isLuhnValid(body + ((check + 1 + r.int(0, 8)) % 10))).toBe(false);
    }
  });
});

describe('maskCardNumber', () => {
  it("masks the seed's format keeping the last 4 digits", () => {
    expect(maskCardNumber('1234-5678-9012-1122')).toBe('xxxx-xxxx-xxxx-1122');
  });
  it('masks spaces and no-separator formats, keeping separators', () => {
    expect(maskCardNumber('4111 1111 1111 1111')).toBe('xxxx xxxx xxxx 1111');
    expect(maskCardNumber('4111111111111111')).toBe('xxxxxxxxxxxx1111');
    expect(maskCardNumber('3782 822463 10005')).toBe('xxxx xxxxxx x0005');
    expect(maskCardNumber(' 4222222222222 ')).toBe('xxxxxxxxx2222');
  });
  it('is idempotent', () => {
    expect(maskCardNumber('xxxx-xxxx-xxxx-1122')).toBe('xxxx-xxxx-xxxx-1122');
  });
  it.each([
    ['too short (12 digits)', '1234-5678-9012'],
    ['too long (20 digits)', '12345678901234567890'],
    ['letters', 'not a card'],
    ['mixed letters', '4111-1111-abcd-1111'],
    ['doubled separator', '4111--1111-1111-1111'],
    ['other separator', '4111_1111_1111_1111'],
    ['empty', ''],
    ['masked last digits', '4111-1111-1111-xxxx'],
  ])('masks a value that is not a card number entirely: %s', (_what, value) => {
    expect(maskCardNumber(value)).toBe(FULLY_MASKED);
  });
  it('masks non-strings entirely', () => {
    expect(maskCardNumber(undefined)).toBe(FULLY_MASKED);
    expect(maskCardNumber(null)).toBe(FULLY_MASKED);
    expect(maskCardNumber(4111111111111111)).toBe(FULLY_MASKED);
  });
  it('property: every generated number in every format keeps only its last 4 digits and its separators', () => {
    const r = new SeededRandom(2026);
    const lengths = new Set<number>();
    for (let i = 0; i < 3000; i++) {
      const card = generateCardNumber(r);
      const masked = maskCardNumber(card);
      const digits = digitsOf(card);
      lengths.add(digits.length);
      expect(masked).toHaveLength(card.length);
      expect(digitsOf(masked)).toBe(digits.slice(-4));
      expect(masked.replace(/[0-9x]/g, '')).toBe(card.replace(/[0-9]/g, ''));
      expect(findCardNumbers(masked, { requireLuhn: false })).toEqual([]);
    }
    expect([...lengths].sort((a, b) => a - b)).toEqual([13, 14, 15, 16, 17, 18, 19]);
  });
  it('property: every length 13-19 in every style', () => {
    const r = new SeededRandom(3);
    for (let len = 13; len <= 19; len++) {
      for (const style of ['dashes', 'spaces', 'none'] as const) {
        const digits = r.digits(len);
        const card = formatCardNumber(digits, style);
        const masked = maskCardNumber(card);
        let visible = 0;
        const expected = [...card]
          .reverse()
          .map((c) => (/[0-9]/.test(c) ? (visible++ < 4 ? c : 'x') : c))
          .reverse()
          .join('');
        expect(masked).toBe(expected);
        expect(digitsOf(masked)).toBe(digits.slice(-4));
      }
    }
  });
  it('maskPurchase changes only the card number', () => {
    const p = new PurchaseGenerator({ seed: 5 }).next();
    const m = maskPurchase(p);
    expect(m).toEqual({ ...p, creditCardNumber: maskCardNumber(p.creditCardNumber) });
    expect(m.creditCardNumber).not.toBe(p.creditCardNumber);
  });
});

describe('findCardNumbers', () => {
  it('finds Luhn-valid numbers in every format inside text', () => {
    const text = 'a=4111-1111-1111-1111, b="378282246310005" c:6011 1111 1111 1117.';
    const found = findCardNumbers(text);
    expect(found.map((m) => m.value)).toEqual([
      '4111-1111-1111-1111',
      '378282246310005',
      '6011 1111 1111 1117',
    ]);
    expect(found.map((m) => m.masked)).toEqual([
      'xxxx-xxxx-xxxx-1111',
      'xxxxxxxxxxx0005',
      'xxxx xxxx xxxx 1117',
    ]);
    for (const m of found) expect(text.slice(m.index, m.index + m.length)).toBe(m.value);
  });
  it('ignores numbers failing Luhn unless asked, short runs, and ungrouped runs over 19 digits', () => {
    expect(findCardNumbers('1234-5678-9012-1122')).toEqual([]);
    expect(findCardNumbers('1234-5678-9012-1122', { requireLuhn: false })).toHaveLength(1);
    expect(findCardNumbers('order 123456789012 offset 42')).toEqual([]);
    expect(findCardNumbers('411111111111111100000')).toEqual([]);
  });
  it('finds a card followed by another digit group', () => {
    expect(findCardNumbers('4111 1111 1111 1111 2026').map((m) => m.value)).toEqual(['4111 1111 1111 1111']);
    expect(findCardNumbers('7 4111-1111-1111-1111').map((m) => m.value)).toEqual(['4111-1111-1111-1111']);
  });
  it('property: finds every generated card in serialized purchases, none once masked', () => {
    const gen = new PurchaseGenerator({ seed: 11, customers: 300 });
    const serde = GmartSerdes.Purchase();
    for (const p of gen.take(1000)) {
      const found = findCardNumbers(serde.serializer().serialize('transactions', p)!.toString());
      expect(found.map((m) => m.value)).toEqual([p.creditCardNumber]);
      expect(containsCardNumber(serde.serializer().serialize('purchases', maskPurchase(p))!.toString())).toBe(
        false,
      );
    }
  });
});

describe('redact', () => {
  it('masks every card-shaped number in a line, Luhn or not', () => {
    expect(redact('paid 4111-1111-1111-1111 and 1234 5678 9012 1122 ok')).toBe(
      'paid xxxx-xxxx-xxxx-1111 and xxxx xxxx xxxx 1122 ok',
    );
  });
  it('leaves lines without card numbers untouched', () => {
    expect(redact('partition 3 offset 1200 lag 5')).toBe('partition 3 offset 1200 lag 5');
  });
  it('with requireLuhn keeps invalid numbers', () => {
    expect(redact('1234-5678-9012-1122', { requireLuhn: true })).toBe('1234-5678-9012-1122');
  });
  it('redactBytes masks a raw record value for a dead-letter topic', () => {
    const raw = Buffer.from('{"creditCardNumber":"4111 1111 1111 1111","quantity":"lots"');
    expect(redactBytes(raw)!.toString()).toBe('{"creditCardNumber":"xxxx xxxx xxxx 1111","quantity":"lots"');
    const clean = Buffer.from('{"a":1}');
    expect(redactBytes(clean)).toBe(clean);
    expect(redactBytes(null)).toBeNull();
  });
});
