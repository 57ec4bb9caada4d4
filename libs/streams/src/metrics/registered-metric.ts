import type { Metric, Registry } from 'prom-client';

/**
 * The metric registered as `name` in `registry`, or the one `create` makes (and registers) when
 * there is none: several clients, tasks and stores share one registry, and each series once.
 * `create` gives the kind and label names; a name is created by one call site only, so the
 * registered metric is of that kind.
 */
export function registeredMetric<M extends Metric>(registry: Registry, name: string, create: () => M): M {
  // prom-client hands registered metrics back as `Metric<string>`; the name fixes the kind (above).
  return (registry.getSingleMetric(name) as M | undefined) ?? create();
}
