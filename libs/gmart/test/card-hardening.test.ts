/**
 * Card numbers anywhere (issue 11, finding 2): every separator, every string field of a purchase,
 * raw bytes; tombstones and implausible dates on read. Expectations come from a brute-force model
 * written here (digit positions counted from the end), never from the code under test.
 */
import {
  CARD_SEPARATORS,
  DEFAULT_PURCHASE_DATE_WINDOW,
  DeserializationError,
  GmartSerdes,
  PurchaseGenerator,
  SeededRandom,
  cardNumberFieldOf,
  cardNumberRedactor,
  generateCardNumber,
  isLuhnValid,
  maskCardNumber,
  maskCardNumbersInBytes,
  maskPurchase,
  purchaseToJson,
  findCardNumbers,
  scanForCardNumbers,
  type Purchase,
} from '../src';

const digitsOf = (s: string) => s.replace(/[^0-9]/g, '');

/** Brute-force model: keep the last 4 digits of `card` (a whole string), every other digit -> x. */
function modelMask(card: string): string {
  let visible = 0;
  return [...card]
    .reverse()
    .map((c) => (/[0-9]/.test(c) ? (visible++ < 4 ? c : 'x') : c))
    .reverse()
    .join('');
}

/** A Luhn-valid 16-digit number grouped 4-4-4-4 with `sep`. */
function cardWith(r: SeededRandom, sep: string): string {
  for (;;) {
    const digits = digitsOf(generateCardNumber(r));
    if (digits.length !== 16) continue;
    return digits.match(/.{4}/g)!.join(sep);
  }
}

const SEPARATORS: Array<[string, string]> = [
  ['space', ' '],
  ['dash', '-'],
  ['dot', '.'],
  ['slash', '/'],
  ['tab', '\t'],
  ['none', ''],
];

describe('card separators', () => {
  it('are space, dash, dot, slash and tab', () => {
    expect([...CARD_SEPARATORS].sort()).toEqual(['\t', ' ', '-', '.', '/'].sort());
  });
  it.each(SEPARATORS)(
    'a %s-separated number is Luhn-checked, masked in place and found in text',
    (_n, sep) => {
      const r = new SeededRandom(sep.charCodeAt(0) || 7);
      for (let i = 0; i < 50; i++) {
        const card = cardWith(r, sep);
        expect(isLuhnValid(card)).toBe(true);
        expect(maskCardNumber(card)).toBe(modelMask(card));
        const text = `paid with ${card} today`;
        expect(cardNumberRedactor.redactText(text)).toBe(`paid with ${modelMask(card)} today`);
        expect(scanForCardNumbers(text)).toHaveLength(1);
      }
    },
  );
});

describe('scanForCardNumbers and UUIDs', () => {
  it('skips digit groups of a UUID that join into a Luhn-valid run, and still finds a card beside it', () => {
    // 12345678-1234-4123-8... : the all-digit groups 12345678 1234 4123 (+ a check digit group) join
    // into 16 digits; find a UUID whose joined groups pass Luhn, as a member id in a broker log can.
    let uuid = '';
    for (let v = 0; v < 10 && !uuid; v++) {
      const u = `12345678-1234-412${v}-bf70-b4348268c11b`;
      if (findCardNumbers(u).length > 0) uuid = u;
    }
    expect(uuid).not.toBe('');
    const line = `INFO group g: member masking-${uuid} joined`;
    expect(findCardNumbers(line)).toHaveLength(1);
    expect(scanForCardNumbers(line)).toEqual([]);
    const leak = `${line}; card 4111 1111 1111 1111`;
    expect(scanForCardNumbers(leak)).toHaveLength(1);
    expect(scanForCardNumbers(leak)[0]!.index).toBe(leak.indexOf('4111'));
  });

  it('finds a card whose last digits begin a UUID-shaped run (no UUID: it is part of longer digits)', () => {
    for (const line of [
      'card 4111111111111111-1234-4123-8123-123456789012',
      'card 4111111111111111-1234-4123-8123-123456789012abc',
    ])
      expect(scanForCardNumbers(line).map((f) => f.masked)).toContain('xxxxxxxxxxxx1111');
  });
});

describe('maskPurchase scans every string field', () => {
  const base = new PurchaseGenerator({ seed: 11 }).next();
  const fields = [
    'firstName',
    'lastName',
    'customerId',
    'itemPurchased',
    'department',
    'employeeId',
    'zipCode',
    'storeId',
  ] as const;
  it.each(fields.flatMap((f) => SEPARATORS.map(([n, sep]) => [f, n, sep] as const)))(
    'masks a card in %s (%s separator), last 4 digits kept, the rest unchanged',
    (field, _n, sep) => {
      const card = cardWith(new SeededRandom(field.length * 31 + sep.length), sep);
      const p: Purchase = { ...base, [field]: `x ${card} y` };
      const m = maskPurchase(p);
      expect(m[field]).toBe(`x ${modelMask(card)} y`);
      expect(m.creditCardNumber).toBe(modelMask(base.creditCardNumber));
      for (const other of fields) if (other !== field) expect(m[other]).toBe(base[other]);
      expect(m.price).toBe(base.price);
      expect(m.purchaseDate).toBe(base.purchaseDate);
      expect(scanForCardNumbers(JSON.stringify(purchaseToJson(m)))).toEqual([]);
      expect(cardNumberFieldOf(null, { ...p, creditCardNumber: m.creditCardNumber })).toBe(field);
      expect(cardNumberFieldOf(null, m)).toBeNull();
    },
  );
  it('keeps the card field format and leaves non-Luhn digit runs in other fields alone', () => {
    const p: Purchase = {
      ...base,
      creditCardNumber: '4111.1111.1111.1111',
      itemPurchased: 'SKU 1234567890123',
    };
    const m = maskPurchase(p);
    expect(m.creditCardNumber).toBe('xxxx.xxxx.xxxx.1111');
    expect(isLuhnValid('1234567890123')).toBe(false);
    expect(m.itemPurchased).toBe('SKU 1234567890123');
  });
  it('cardNumberFieldOf reports the key', () => {
    expect(cardNumberFieldOf('4012888888881881', maskPurchase(base))).toBe('key');
    expect(cardNumberFieldOf('customer-7', maskPurchase(base))).toBeNull();
  });
});

describe('maskCardNumbersInBytes', () => {
  it('masks card digits only, every other byte (binary too) unchanged, never the input', () => {
    const card = '4111-1111-1111-1111';
    const input = Buffer.concat([
      Buffer.from([0xff, 0xfe, 0x00]),
      Buffer.from(card),
      Buffer.from([0x80, 0xc3]),
    ]);
    const before = Buffer.from(input);
    const out = maskCardNumbersInBytes(input);
    expect(input.equals(before)).toBe(true);
    expect([...out]).toEqual([0xff, 0xfe, 0x00, ...Buffer.from(modelMask(card)), 0x80, 0xc3]);
  });
  it('returns the very buffer when there is nothing to mask (a binary key passes byte for byte)', () => {
    const key = Buffer.from([0xff, 0xfe, 0x31, 0x32]);
    expect(maskCardNumbersInBytes(key)).toBe(key);
  });
  it('with requireLuhn false masks card-shaped runs that fail Luhn too', () => {
    expect(
      maskCardNumbersInBytes(Buffer.from('1234-5678-9012-1122'), { requireLuhn: false }).toString(),
    ).toBe('xxxx-xxxx-xxxx-1122');
    expect(maskCardNumbersInBytes(Buffer.from('1234-5678-9012-1122')).toString()).toBe('1234-5678-9012-1122');
  });
});

describe('Purchase serde on read', () => {
  const p = new PurchaseGenerator({ seed: 12, startTime: Date.UTC(2026, 0, 1) }).next();
  const wire = (o: Partial<Record<string, unknown>>) =>
    Buffer.from(JSON.stringify({ ...purchaseToJson(p), ...o }));
  const read = (serde: ReturnType<typeof GmartSerdes.Purchase>, data: Buffer | null) =>
    serde.deserializer().deserialize('purchases', data);
  function errorOf(fn: () => unknown): DeserializationError {
    try {
      fn();
    } catch (e) {
      expect(e).toBeInstanceOf(DeserializationError);
      return e as DeserializationError;
    }
    throw new Error('expected a DeserializationError');
  }

  it("nullValues 'reject' turns a tombstone into a DeserializationError with the reason", () => {
    const e = errorOf(() => read(GmartSerdes.Purchase({ nullValues: 'reject' }), null));
    expect(e.message).toMatch(/null value \(tombstone\)/);
    expect(e.topic).toBe('purchases');
    expect(read(GmartSerdes.Purchase(), null)).toBeNull();
  });
  it.each([
    ['year 0001', '0001-01-01T00:00:00Z', /before 2000-01-01/],
    ['1969', '1969-07-20T20:17:00Z', /before 2000-01-01/],
    ['epoch 0', 0, /before 2000-01-01/],
    ['two days ahead', new Date(Date.now() + 2 * 86_400_000).toISOString(), /ahead of the current time/],
  ])('rejects a purchase date of %s naming purchaseDate', (_what, date, reason) => {
    const e = errorOf(() => read(GmartSerdes.Purchase(), wire({ purchaseDate: date })));
    expect(e.field).toBe('purchaseDate');
    expect(e.message).toMatch(reason);
  });
  it('accepts 2000-01-01 and an hour ahead; the window is configurable, null turns it off', () => {
    expect(read(GmartSerdes.Purchase(), wire({ purchaseDate: '2000-01-01T00:00:00Z' }))!.purchaseDate).toBe(
      DEFAULT_PURCHASE_DATE_WINDOW.earliest,
    );
    const soon = Date.now() + 3_600_000;
    expect(read(GmartSerdes.Purchase(), wire({ purchaseDate: soon }))!.purchaseDate).toBe(soon);
    const narrow = GmartSerdes.Purchase({ purchaseDates: { earliest: Date.UTC(2026, 0, 1), maxAheadMs: 0 } });
    expect(errorOf(() => read(narrow, wire({ purchaseDate: '2025-12-31T23:59:59Z' }))).field).toBe(
      'purchaseDate',
    );
    expect(errorOf(() => read(narrow, wire({ purchaseDate: soon }))).field).toBe('purchaseDate');
    expect(read(GmartSerdes.Purchase({ purchaseDates: null }), wire({ purchaseDate: 0 }))!.purchaseDate).toBe(
      0,
    );
  });
});
