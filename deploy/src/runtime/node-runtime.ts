/**
 * The Node.js runtime settings the G-Mart services run with wherever they are launched: the image's
 * entrypoint, `docker-compose.yml`, the Helm chart, `npm start` and `npm run bench:pipeline`
 * (deploy/README.md, "Node.js runtime"). The deployment tests hold each of those to these values.
 */

/**
 * V8's semi-space cap for the services, in MiB (`--max-semi-space-size`): V8's heap limit counts the
 * young generation as three of them (96 MiB at most). V8's own cap is 16 MiB on a 64-bit machine with
 * 4 GiB or more, and 1 MiB in a container limited to 512 MiB or less. Measured: coupon-join's GC share
 * of its CPU profile 28.9% -> 3.0% at 32 MiB against 16 MiB, stock-analytics' CPU about -10%.
 */
export const SERVICE_MAX_SEMI_SPACE_MIB = 32;

/**
 * The environment variable that turns the semi-space's floor off: `false` leaves V8 to grow and shrink
 * the young generation up to its cap; anything else (or unset) fixes it (see {@link serviceNodeFlags}).
 */
export const FIXED_SEMI_SPACE_VARIABLE = 'GMART_FIXED_SEMI_SPACE';

const CAP_FLAG = /(^|\s)--max[-_]semi[-_]space[-_]size[= ](\d+)/g;

/** Whether `nodeOptions` (a `NODE_OPTIONS` value) sets V8's semi-space cap itself. */
export function setsSemiSpaceSize(nodeOptions: string | undefined): boolean {
  return /(^|\s)--max[-_]semi[-_]space[-_]size\b/.test(nodeOptions ?? '');
}

/** The semi-space cap (MiB) the last `--max-semi-space-size` of `nodeOptions` gives, if any. */
export function semiSpaceCapMiB(nodeOptions: string | undefined): number | undefined {
  const caps = [...(nodeOptions ?? '').matchAll(CAP_FLAG)];
  return caps.length > 0 ? Number(caps[caps.length - 1]![2]) : undefined;
}

/**
 * V8's flag that runs its garbage collector on the main thread alone: no parallel scavenge, concurrent
 * marking or concurrent sweeping on V8's worker threads. The services but {@link PARALLEL_GC_SERVICES}
 * run with it (see {@link serviceNodeFlags}): a service is one busy main thread, and where it shares its CPUs with other
 * busy processes (a pod's CPU limit, the local stack's 2 cores) V8's parallel GC makes the main thread
 * wait for helper threads the scheduler has not run yet, and the helpers' CPU comes on top. Measured in
 * six pairs run at the same time (deploy/README.md, Node.js runtime, V8's GC threads): the three
 * services' CPU per record lower with it in all six (median -7%), the pipeline's records/s higher in
 * five (median +18%). Node does not allow it in `NODE_OPTIONS`: it goes on node's command line.
 */
export const SINGLE_THREADED_GC_FLAG = '--single-threaded-gc';

/**
 * The environment variable that sets {@link SINGLE_THREADED_GC_FLAG} either way: `false` leaves V8 its
 * parallel and concurrent GC, any other non-empty value gives the flag, and unset (or empty) leaves the
 * service's default ({@link singleThreadedGcByDefault}).
 */
export const SINGLE_THREADED_GC_VARIABLE = 'GMART_SINGLE_THREADED_GC';

/**
 * The services that run with V8's parallel and concurrent GC by default (no {@link SINGLE_THREADED_GC_FLAG}).
 * stock-analytics is single-thread bound (its main thread 93% busy) and allocation-heavy, and its pod has no
 * CPU limit, so V8's helper threads run on otherwise idle cores: in three alternated rounds of the pipeline
 * bench (quiet machine) it did +10 to +13% trades/s with parallel GC and its main thread's CPU per trade fell
 * from 41.6 / 42.0 / 38.3 to 33.7 / 36.6 / 32.0 µs (deploy/README.md, Node.js runtime, V8's GC threads).
 */
export const PARALLEL_GC_SERVICES: ReadonlySet<string> = new Set(['stock-analytics']);

/**
 * Whether `service` (a service name, e.g. `masking`; `undefined` for the other node programs: create-topics,
 * the generators) runs with {@link SINGLE_THREADED_GC_FLAG} when `GMART_SINGLE_THREADED_GC` is unset:
 * every one but {@link PARALLEL_GC_SERVICES}.
 */
export function singleThreadedGcByDefault(service: string | undefined): boolean {
  return service === undefined || !PARALLEL_GC_SERVICES.has(service);
}

/**
 * The Node flags a service process starts with, given its `NODE_OPTIONS`, `GMART_FIXED_SEMI_SPACE`,
 * `GMART_SINGLE_THREADED_GC` and its name, as the image's entrypoint gives them:
 * `--max-semi-space-size=32` unless `NODE_OPTIONS` sets the cap (which then applies),
 * `--min-semi-space-size=<the cap in effect>` unless `fixedSemiSpace` is `false` or the cap is 0,
 * and `--single-threaded-gc` ({@link SINGLE_THREADED_GC_FLAG}) if `singleThreadedGc` is set and not `false`,
 * or, when it is unset or empty, if `service` runs with it by default ({@link singleThreadedGcByDefault}:
 * all but stock-analytics).
 * The floor makes V8 commit the young generation at its full size (two semi-spaces) from the start and
 * never resize it, so the RSS does not step by up to 56 MiB when V8 would grow it (the soak's storage
 * row failed +12.7% on that). It goes on the command line because Node does not allow
 * `--min-semi-space-size` in `NODE_OPTIONS`.
 */
export function serviceNodeFlags(
  nodeOptions: string | undefined,
  fixedSemiSpace?: string,
  singleThreadedGc?: string,
  service?: string,
): string[] {
  const given = semiSpaceCapMiB(nodeOptions);
  const flags = setsSemiSpaceSize(nodeOptions) ? [] : [`--max-semi-space-size=${SERVICE_MAX_SEMI_SPACE_MIB}`];
  const cap = setsSemiSpaceSize(nodeOptions) ? given : SERVICE_MAX_SEMI_SPACE_MIB;
  if (fixedSemiSpace !== 'false' && cap !== undefined && cap > 0) flags.push(`--min-semi-space-size=${cap}`);
  const singleThreaded = singleThreadedGc ? singleThreadedGc !== 'false' : singleThreadedGcByDefault(service);
  if (singleThreaded) flags.push(SINGLE_THREADED_GC_FLAG);
  return flags;
}

/**
 * glibc malloc settings of the services (the image's `ENV`, and the local stack's services unless the
 * environment sets them), see deploy/README.md, "glibc malloc": `MALLOC_ARENA_MAX=2`, at most two malloc
 * arenas instead of up to 8 per core for V8's and libuv's threads (stock-analytics' thread arenas took
 * 8.5 MiB of RSS instead of 22.8 MiB in two otherwise equal soaks; flat over time in both).
 */
export const SERVICE_MALLOC_ENV: Readonly<Record<string, string>> = { MALLOC_ARENA_MAX: '2' };

/** {@link SERVICE_MALLOC_ENV}'s settings that `env` does not set itself. */
export function serviceMallocEnv(env: Readonly<Record<string, string | undefined>>): Record<string, string> {
  return Object.fromEntries(Object.entries(SERVICE_MALLOC_ENV).filter(([k]) => env[k] === undefined));
}
