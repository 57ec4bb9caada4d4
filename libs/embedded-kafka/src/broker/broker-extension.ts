import type { ApiDefinition } from '../protocol/api-definition';
import type { BrokerServices } from './broker-services';

/**
 * A part of the broker that brings its own APIs and state, for example the
 * consumer-group coordinator. Created once per broker instance by a
 * {@link BrokerExtensionFactory}, after the log manager is open and before the
 * server accepts connections.
 */
export interface BrokerExtension {
  /** Unique name, used by {@link BrokerServices.extension}. */
  readonly name: string;
  /** APIs this extension serves; registered in the broker's registry. */
  readonly apis: readonly ApiDefinition[];
  /** Called once before the broker accepts connections (load state, start timers). */
  start?(): Promise<void> | void;
  /** Called once when the broker stops (flush state, clear timers). */
  stop?(): Promise<void> | void;
}

/** Creates an extension for one broker instance. */
export type BrokerExtensionFactory = (services: BrokerServices) => BrokerExtension | Promise<BrokerExtension>;
