import * as path from 'node:path';
import type { BrokerExtension, BrokerExtensionFactory } from '../broker/broker-extension';
import type { BrokerServices } from '../broker/broker-services';
import {
  GROUP_COORDINATOR_EXTENSION,
  type GroupCoordinatorExtension,
} from '../coordinator/group-coordinator-extension';
import type { ApiDefinition } from '../protocol/api-definition';
import { addOffsetsToTxnApi } from '../protocol/requests/add-offsets-to-txn';
import { addPartitionsToTxnApi } from '../protocol/requests/add-partitions-to-txn';
import { describeTransactionsApi } from '../protocol/requests/describe-transactions';
import { endTxnApi } from '../protocol/requests/end-txn';
import { ProducerIdAllocator } from '../protocol/requests/init-producer-id/producer-id-allocator';
import { listTransactionsApi } from '../protocol/requests/list-transactions';
import { txnOffsetCommitApi } from '../protocol/requests/txn-offset-commit';
import { TransactionCoordinator } from './transaction-coordinator';
import { TRANSACTION_COORDINATOR_EXTENSION } from './transaction-coordinator-name';
import { TransactionLog } from './transaction-log';

export { TRANSACTION_COORDINATOR_EXTENSION };

/** Directory under the broker's dataDir holding the transaction log. */
export const TRANSACTION_STATE_DIR = '__transaction_state';

/** The transaction coordinator installed in a broker: its APIs, the timeout sweep, and the coordinator. */
export class TransactionCoordinatorExtension implements BrokerExtension {
  readonly name = TRANSACTION_COORDINATOR_EXTENSION;
  readonly apis: readonly ApiDefinition[];
  private timer: ReturnType<typeof setInterval> | undefined;
  private sweeping = false;

  constructor(
    /** The coordinator of this broker's transactional ids. */
    readonly coordinator: TransactionCoordinator,
    private readonly services: BrokerServices,
  ) {
    this.apis = [
      addPartitionsToTxnApi(coordinator),
      addOffsetsToTxnApi(coordinator),
      endTxnApi(coordinator),
      txnOffsetCommitApi(coordinator),
      describeTransactionsApi(coordinator),
      listTransactionsApi(coordinator, () => services.clock.now()),
    ];
  }

  async start(): Promise<void> {
    await this.coordinator.start();
    this.timer = setInterval(
      () => void this.sweep(),
      this.services.config.transactionAbortTimedOutIntervalMs,
    );
    this.timer.unref();
  }

  /** Aborts timed-out transactions now (also run every `transactionAbortTimedOutIntervalMs`). */
  async sweep(): Promise<number> {
    if (this.sweeping) return 0;
    this.sweeping = true;
    try {
      return await this.coordinator.abortTimedOut();
    } catch (err) {
      this.services.logger.error(`aborting timed-out transactions failed: ${(err as Error).message}`);
      return 0;
    } finally {
      this.sweeping = false;
    }
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.coordinator.stop();
  }
}

/**
 * Creates the transaction coordinator of one broker: state in
 * `<dataDir>/__transaction_state` (fsync per the broker's policy), producer ids
 * from the broker's allocator, offsets committed through the group coordinator.
 */
export const createTransactionCoordinatorExtension: BrokerExtensionFactory = (services: BrokerServices) => {
  const log = new TransactionLog(
    path.join(services.dataDir, TRANSACTION_STATE_DIR),
    services.config.fsync === 'always',
    (m) => services.logger.warn(m),
  );
  const coordinator = new TransactionCoordinator({
    log,
    logs: services.logs,
    allocateProducerId: () => ProducerIdAllocator.for(services.dataDir).allocate(),
    groups: () => services.extension<GroupCoordinatorExtension>(GROUP_COORDINATOR_EXTENSION)?.coordinator,
    now: () => services.clock.now(),
    logger: services.logger,
    maxTimeoutMs: services.config.transactionMaxTimeoutMs,
  });
  return new TransactionCoordinatorExtension(coordinator, services);
};
