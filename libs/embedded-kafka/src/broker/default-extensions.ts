import { createGroupCoordinatorExtension } from '../coordinator';
import type { BrokerExtensionFactory } from './broker-extension';

/** Extensions every broker installs: the consumer-group coordinator (`src/coordinator`). */
export function defaultExtensions(): BrokerExtensionFactory[] {
  return [createGroupCoordinatorExtension];
}
