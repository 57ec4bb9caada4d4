import { ListenerList } from '../log/listener-list';

/**
 * Fetch long-poll bookkeeping: a waiting Fetch subscribes to the partitions it
 * reads; appends wake it so it can re-check minBytes. `wakeAll` ends every wait
 * on shutdown.
 */
export class FetchWaiters {
  private readonly all = new ListenerList();

  /** Adds a wake-up callback; returns a function removing it. */
  add(wake: () => void): () => void {
    return this.all.add(wake);
  }

  wakeAll(): void {
    this.all.fire();
    this.all.clear();
  }
}

const byServices = new WeakMap<object, FetchWaiters>();

/** The waiters of one broker instance (keyed by its services object). */
export function fetchWaitersFor(services: object): FetchWaiters {
  let w = byServices.get(services);
  if (!w) {
    w = new FetchWaiters();
    byServices.set(services, w);
  }
  return w;
}
