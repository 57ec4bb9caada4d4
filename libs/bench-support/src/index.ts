/**
 * Bench-only helpers shared by the packages' benchmarks and `bench:clients` / `bench:pipeline`
 * (the way test-support serves tests): medians, the benchmarks' purchase records, so that every
 * benchmark measures the same records, and load-independent garbage-collection figures. See README.md.
 */
export { median } from './median';
export { benchPurchase, BENCH_PURCHASE_BYTES, type BenchPurchase } from './bench-purchase';
export { gcSummary } from './gc-summary';
export { driverInternals, type DriverInternals } from './driver-internals';
