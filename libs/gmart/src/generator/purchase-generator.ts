import { GmartError } from '../errors/gmart-error';
import { roundToCents } from '../models/fields';
import type { Purchase } from '../models/purchase';
import { generateCardNumber } from './card-number-generator';
import { DEPARTMENTS, FIRST_NAMES, LAST_NAMES, SUSPECT_EMPLOYEE_ID, ZIP_PREFIXES } from './reference-data';
import { SeededRandom } from './seeded-random';

/** A G-Mart customer: stable id, name and the cards they pay with. */
export interface Customer {
  readonly customerId: string;
  readonly firstName: string;
  readonly lastName: string;
  /** One or two cards, Luhn-valid, in the formats customers type them. */
  readonly creditCardNumbers: readonly string[];
  /** The store the customer shops at most. */
  readonly homeStoreId: string;
}

/** A G-Mart store. */
export interface Store {
  readonly storeId: string;
  readonly zipCode: string;
  readonly employeeIds: readonly string[];
}

/** Options of {@link PurchaseGenerator}; every field has a default. */
export interface PurchaseGeneratorOptions {
  /** Seed of the random sequence: same seed and options, same purchases. Default 1. */
  readonly seed?: number;
  /** Number of distinct customers. Default 500. */
  readonly customers?: number;
  /** Number of stores. Default 20. */
  readonly stores?: number;
  /** Employees per store (the suspect `000000` comes on top). Default 6. */
  readonly employeesPerStore?: number;
  /** Event time of the first purchase, epoch ms. Default 2026-01-01T00:00:00Z (deterministic). */
  readonly startTime?: number;
  /** Mean event-time gap between consecutive purchases, ms (exponential). Default 1000. */
  readonly meanIntervalMs?: number;
  /** Share of purchases rung up by employee `000000`. Default 0.01. */
  readonly suspectEmployeeShare?: number;
}

const DEFAULTS = {
  seed: 1,
  customers: 500,
  stores: 20,
  employeesPerStore: 6,
  startTime: Date.UTC(2026, 0, 1),
  meanIntervalMs: 1000,
  suspectEmployeeShare: 0.01,
} as const;

function positiveInt(name: string, value: number, max: number): number {
  if (!Number.isInteger(value) || value < 1 || value > max) {
    throw new GmartError(`${name} must be an integer between 1 and ${max}, got ${value}`);
  }
  return value;
}

/**
 * Deterministic generator of realistic purchases: a fixed population of customers (a few buy a
 * lot, most buy a little), stores with zip codes and employees (including the suspect
 * `000000`), departments with items and price ranges (`coffee` and `electronics` among them),
 * Luhn-valid card numbers of 13-19 digits with dashes, spaces or no separator, and event-time
 * purchase dates moving forward from `startTime`.
 *
 * The same options (seed included) always give the same customers and purchases, so a test can
 * regenerate the input to recompute expected results.
 */
export class PurchaseGenerator implements Iterable<Purchase> {
  /** The customer population, in id order of creation. */
  readonly customers: readonly Customer[];
  /** The stores. */
  readonly stores: readonly Store[];

  private readonly random: SeededRandom;
  private readonly cumulativeCustomerWeights: Float64Array;
  private readonly storesById: ReadonlyMap<string, Store>;
  private readonly meanIntervalMs: number;
  private readonly suspectShare: number;
  private eventTime: number;
  private generated = 0;

  constructor(options: PurchaseGeneratorOptions = {}) {
    const o = { ...DEFAULTS, ...stripUndefined(options) };
    positiveInt('customers', o.customers, 1_000_000);
    positiveInt('stores', o.stores, 10_000);
    positiveInt('employeesPerStore', o.employeesPerStore, 1_000);
    if (!Number.isFinite(o.meanIntervalMs) || o.meanIntervalMs < 0) {
      throw new GmartError(`meanIntervalMs must be a non-negative number, got ${o.meanIntervalMs}`);
    }
    if (!Number.isInteger(o.startTime) || o.startTime < 0) {
      throw new GmartError(`startTime must be epoch milliseconds, got ${o.startTime}`);
    }
    if (!(o.suspectEmployeeShare >= 0 && o.suspectEmployeeShare <= 1)) {
      throw new GmartError(`suspectEmployeeShare must be between 0 and 1, got ${o.suspectEmployeeShare}`);
    }
    this.random = new SeededRandom(o.seed);
    this.meanIntervalMs = o.meanIntervalMs;
    this.suspectShare = o.suspectEmployeeShare;
    this.eventTime = o.startTime;
    this.stores = this.createStores(o.stores, o.employeesPerStore);
    this.storesById = new Map(this.stores.map((s) => [s.storeId, s]));
    this.customers = this.createCustomers(o.customers);
    // Zipf-like popularity: customer i has weight 1 / (i + 1)^0.8.
    this.cumulativeCustomerWeights = new Float64Array(this.customers.length);
    let sum = 0;
    for (let i = 0; i < this.customers.length; i++) {
      sum += 1 / Math.pow(i + 1, 0.8);
      this.cumulativeCustomerWeights[i] = sum;
    }
  }

  /** Number of purchases generated so far. */
  get count(): number {
    return this.generated;
  }

  /** The next purchase. */
  next(): Purchase {
    const r = this.random;
    const customer = this.pickCustomer();
    const store = r.chance(0.8) ? this.storesById.get(customer.homeStoreId)! : r.pick(this.stores);
    const department = r.weighted(DEPARTMENTS.map((d) => ({ weight: d.weight, value: d })));
    const employeeId = r.chance(this.suspectShare) ? SUSPECT_EMPLOYEE_ID : r.pick(store.employeeIds);
    const price = roundToCents(department.minPrice + r.float() * (department.maxPrice - department.minPrice));
    const gap = this.meanIntervalMs === 0 ? 0 : Math.round(-Math.log(1 - r.float()) * this.meanIntervalMs);
    this.eventTime += gap;
    this.generated++;
    return {
      firstName: customer.firstName,
      lastName: customer.lastName,
      customerId: customer.customerId,
      creditCardNumber: r.pick(customer.creditCardNumbers),
      itemPurchased: r.pick(department.items),
      department: department.name,
      employeeId,
      quantity: r.int(1, department.maxQuantity),
      price,
      purchaseDate: this.eventTime,
      zipCode: store.zipCode,
      storeId: store.storeId,
    };
  }

  /** The next `n` purchases. */
  take(n: number): Purchase[] {
    const out: Purchase[] = new Array(n);
    for (let i = 0; i < n; i++) out[i] = this.next();
    return out;
  }

  /** Endless iteration over purchases. */
  *[Symbol.iterator](): Iterator<Purchase> {
    for (;;) yield this.next();
  }

  private pickCustomer(): Customer {
    const w = this.cumulativeCustomerWeights;
    const target = this.random.float() * w[w.length - 1]!;
    let lo = 0;
    let hi = w.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (w[mid]! > target) hi = mid;
      else lo = mid + 1;
    }
    return this.customers[lo]!;
  }

  private createStores(count: number, employeesPerStore: number): Store[] {
    const r = this.random;
    const stores: Store[] = [];
    const employeeIds = new Set<string>([SUSPECT_EMPLOYEE_ID]);
    for (let i = 0; i < count; i++) {
      const employees: string[] = [];
      while (employees.length < employeesPerStore) {
        const id = String(r.int(100_000, 999_999));
        if (!employeeIds.has(id)) {
          employeeIds.add(id);
          employees.push(id);
        }
      }
      stores.push({
        storeId: `store-${String(i + 1).padStart(3, '0')}`,
        zipCode: r.pick(ZIP_PREFIXES) + r.digits(2),
        employeeIds: employees,
      });
    }
    return stores;
  }

  private createCustomers(count: number): Customer[] {
    const r = this.random;
    const ids = new Set<string>();
    const customers: Customer[] = [];
    while (customers.length < count) {
      const customerId = String(r.int(10_000_000, 99_999_999));
      if (ids.has(customerId)) continue;
      ids.add(customerId);
      const cards = [generateCardNumber(r)];
      if (r.chance(0.3)) cards.push(generateCardNumber(r));
      customers.push({
        customerId,
        firstName: r.pick(FIRST_NAMES),
        lastName: r.pick(LAST_NAMES),
        creditCardNumbers: cards,
        homeStoreId: r.pick(this.stores).storeId,
      });
    }
    return customers;
  }
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
