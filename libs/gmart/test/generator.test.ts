import { DEPARTMENTS, GmartSerdes, PurchaseGenerator, SUSPECT_EMPLOYEE_ID, isLuhnValid } from '../src';

describe('PurchaseGenerator', () => {
  it('is deterministic for a seed and differs across seeds', () => {
    const a = new PurchaseGenerator({ seed: 42 }).take(500);
    const b = new PurchaseGenerator({ seed: 42 }).take(500);
    const c = new PurchaseGenerator({ seed: 43 }).take(500);
    expect(b).toEqual(a);
    expect(c).not.toEqual(a);
  });
  it('has stable customers with names and Luhn-valid cards of 13-19 digits in several formats', () => {
    const gen = new PurchaseGenerator({ seed: 1, customers: 400 });
    expect(new Set(gen.customers.map((c) => c.customerId)).size).toBe(400);
    const formats = new Set<string>();
    for (const c of gen.customers) {
      expect(c.firstName).toMatch(/\S/);
      expect(c.lastName).toMatch(/\S/);
      for (const card of c.creditCardNumbers) {
        expect(isLuhnValid(card)).toBe(true);
        const digits = card.replace(/\D/g, '').length;
        expect(digits).toBeGreaterThanOrEqual(13);
        expect(digits).toBeLessThanOrEqual(19);
        formats.add(card.includes('-') ? 'dashes' : card.includes(' ') ? 'spaces' : 'none');
      }
    }
    expect([...formats].sort()).toEqual(['dashes', 'none', 'spaces']);
  });
  it('produces valid purchases across departments, with the suspect employee, in event time', () => {
    const gen = new PurchaseGenerator({ seed: 9, startTime: Date.UTC(2026, 5, 1), meanIntervalMs: 2000 });
    const purchases = gen.take(5000);
    const serde = GmartSerdes.Purchase();
    const departments = new Set<string>();
    let suspect = 0;
    let previous = Date.UTC(2026, 5, 1);
    for (const p of purchases) {
      expect(serde.deserializer().deserialize('t', serde.serializer().serialize('t', p))).toEqual(p);
      const customer = gen.customers.find((c) => c.customerId === p.customerId)!;
      expect(customer.creditCardNumbers).toContain(p.creditCardNumber);
      expect(p.firstName).toBe(customer.firstName);
      expect(p.purchaseDate).toBeGreaterThanOrEqual(previous);
      previous = p.purchaseDate;
      departments.add(p.department);
      if (p.employeeId === SUSPECT_EMPLOYEE_ID) suspect++;
    }
    expect(departments).toEqual(new Set(DEPARTMENTS.map((d) => d.name)));
    expect(departments.has('coffee') && departments.has('electronics')).toBe(true);
    expect(suspect).toBeGreaterThan(10);
    // Roughly 2 s apart on average.
    const span = purchases[purchases.length - 1]!.purchaseDate - Date.UTC(2026, 5, 1);
    expect(span / purchases.length).toBeGreaterThan(1500);
    expect(span / purchases.length).toBeLessThan(2500);
    expect(gen.count).toBe(5000);
  });
  it('makes some customers buy far more than others', () => {
    const counts = new Map<string, number>();
    for (const p of new PurchaseGenerator({ seed: 4, customers: 200 }).take(10000)) {
      counts.set(p.customerId, (counts.get(p.customerId) ?? 0) + 1);
    }
    const sorted = [...counts.values()].sort((a, b) => b - a);
    expect(sorted[0]!).toBeGreaterThan(5 * sorted[sorted.length - 1]!);
  });
  it("feeds the coupon join: with npm start's options (500 customers, 20/s), coffee/electronics pairs of one customer within 20 minutes complete within the first minute", () => {
    for (const seed of [1, 2, 3, 4, 5]) {
      // One minute at 20 purchases/s; event time advances about 1 s per purchase.
      const purchases = new PurchaseGenerator({ seed, customers: 500 }).take(20 * 60);
      const firstCoffee = new Map<string, number[]>();
      let pairs = 0;
      let firstPairAt = -1;
      const electronics = new Map<string, number[]>();
      purchases.forEach((p, i) => {
        if (p.department !== 'coffee' && p.department !== 'electronics') return;
        const mine = p.department === 'coffee' ? firstCoffee : electronics;
        const other = p.department === 'coffee' ? electronics : firstCoffee;
        const matches = (other.get(p.customerId) ?? []).filter(
          (t) => Math.abs(t - p.purchaseDate) <= 20 * 60_000,
        );
        if (matches.length && firstPairAt < 0) firstPairAt = i;
        pairs += matches.length;
        mine.set(p.customerId, [...(mine.get(p.customerId) ?? []), p.purchaseDate]);
      });
      expect({ seed, enough: pairs >= 50 }).toEqual({ seed, enough: true });
      // The first coupon is due well within the minute (purchase index / 20 = seconds).
      expect(firstPairAt).toBeGreaterThanOrEqual(0);
      expect(firstPairAt / 20).toBeLessThan(30);
    }
  });
  it('rejects bad options with a message naming the option', () => {
    expect(() => new PurchaseGenerator({ customers: 0 })).toThrow(/customers/);
    expect(() => new PurchaseGenerator({ seed: 1.5 })).toThrow(/seed/);
    expect(() => new PurchaseGenerator({ meanIntervalMs: -1 })).toThrow(/meanIntervalMs/);
  });
});
