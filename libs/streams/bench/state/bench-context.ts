import type {
  StateRestoreCallback,
  StateStore,
  StateStoreContext,
  StoreRegistration,
  TaskId,
} from '../../src/processor/state-store';
import { Registry } from 'prom-client';
import { Serdes, type Serde } from '../../src/serialization';
import type { ProcessorStateManager } from '../../src/processor/internals/processor-state-manager';

/** A StateStoreContext for benchmarks: counts changelog writes instead of producing them. */
export class BenchContext implements StateStoreContext {
  readonly applicationId = 'bench';
  readonly taskId: TaskId = { subtopology: 0, partition: 0, toString: () => '0_0' };
  readonly metricsRegistry = new Registry();
  logged = 0;
  timestamp = 0;
  readonly restores: StateRestoreCallback[] = [];

  constructor(
    readonly stateDir: string,
    readonly cacheMaxBytes = 10 * 1024 * 1024,
    private readonly manager?: ProcessorStateManager,
  ) {}

  register(store: StateStore, restore: StateRestoreCallback, registration?: StoreRegistration): void {
    this.restores.push(restore);
    this.manager?.registerStore(store, restore, registration);
  }
  logChange(): void {
    this.logged++;
  }
  currentTimestamp(): number {
    return this.timestamp;
  }
}

/** Buffers as they are. */
export const bytesSerde: Serde<Buffer> = Serdes.Buffer();
