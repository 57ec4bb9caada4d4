import { createGroupCoordinatorExtension } from '../coordinator';
import { createTransactionCoordinatorExtension } from '../transaction';
import type { BrokerExtensionFactory } from './broker-extension';

/**
 * Extensions every broker installs: the consumer-group coordinator
 * (`src/coordinator`) and the transaction coordinator (`src/transaction`, which
 * commits offsets through the group coordinator, so it comes second).
 */
export function defaultExtensions(): BrokerExtensionFactory[] {
  return [createGroupCoordinatorExtension, createTransactionCoordinatorExtension];
}
