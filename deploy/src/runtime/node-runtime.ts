/**
 * The Node.js runtime settings the G-Mart services run with wherever they are launched: the image's
 * entrypoint, `docker-compose.yml`, the Helm chart, `npm start` and `npm run bench:pipeline`
 * (deploy/README.md, "Node.js runtime"). The deployment tests hold each of those to these values.
 */

/**
 * V8's semi-space cap for the services, in MiB (`--max-semi-space-size`): the young generation is
 * three of them (96 MiB at most). V8's own cap is 16 MiB on a 64-bit machine with 4 GiB or more, and
 * 1 MiB in a container limited to 512 MiB or less. Measured: coupon-join's GC share of its CPU profile
 * 28.9% -> 3.0% at 32 MiB against 16 MiB, stock-analytics' CPU about -10%.
 */
export const SERVICE_MAX_SEMI_SPACE_MIB = 32;

/** Whether `nodeOptions` (a `NODE_OPTIONS` value) sets V8's semi-space size itself. */
export function setsSemiSpaceSize(nodeOptions: string | undefined): boolean {
  return /(^|\s)--max[-_]semi[-_]space[-_]size\b/.test(nodeOptions ?? '');
}

/**
 * The Node flags a service process starts with, given its `NODE_OPTIONS`:
 * `--max-semi-space-size=32` unless `NODE_OPTIONS` sets the semi-space size, which then applies, as
 * in the image.
 */
export function serviceNodeFlags(nodeOptions: string | undefined): string[] {
  return setsSemiSpaceSize(nodeOptions) ? [] : [`--max-semi-space-size=${SERVICE_MAX_SEMI_SPACE_MIB}`];
}
