export {
  TRANSACTION_COORDINATOR_EXTENSION,
  TransactionCoordinatorExtension,
  createTransactionCoordinatorExtension,
} from './transaction-coordinator-extension';
export type { TransactionCoordinator } from './transaction-coordinator';
export type { TransactionMetadata, TransactionState } from './transaction-state';
