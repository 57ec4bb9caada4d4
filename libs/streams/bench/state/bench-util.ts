import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** One benchmark line: a measured figure and the reference measured in the same run. */
export interface StateBenchResult {
  readonly name: string;
  readonly value: number;
  readonly unit: string;
  readonly reference?: { readonly name: string; readonly value: number; readonly unit: string };
  readonly notes?: string;
}

/** Formats a result as one line. */
export function formatResult(r: StateBenchResult): string {
  const fmt = (v: number, unit: string) =>
    `${v >= 100 ? Math.round(v).toLocaleString('en-US') : v.toFixed(2)} ${unit}`;
  const ref = r.reference
    ? ` | reference ${r.reference.name}: ${fmt(r.reference.value, r.reference.unit)}`
    : '';
  return `state ${r.name}: ${fmt(r.value, r.unit)}${ref}${r.notes ? ` | ${r.notes}` : ''}`;
}

/** A unique temporary directory and its cleanup. */
export function benchDir(prefix: string): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Seconds since `start` (from `performance.now()`). */
export function secondsSince(start: number): number {
  return (performance.now() - start) / 1000;
}

/** Runs a full GC if node was started with --expose-gc. */
export function gc(): void {
  (globalThis as { gc?: () => void }).gc?.();
}

/** MiB. */
export function mib(bytes: number): number {
  return bytes / (1024 * 1024);
}

/** The `i`-th benchmark key: 20 ASCII bytes. */
export function benchKey(i: number): Buffer {
  return Buffer.from(`key-${String(i).padStart(16, '0')}`, 'latin1');
}

/** A 100-byte value derived from `i`. */
export function benchValue(i: number): Buffer {
  const b = Buffer.allocUnsafe(100);
  b.fill(i & 0xff);
  b.writeUInt32BE(i >>> 0, 0);
  return b;
}
