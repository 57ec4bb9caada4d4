import type { StateStore, StateStoreContext } from '../../processor/state-store';
import { InvalidStateStoreError } from '../errors';
import { ChangelogRegistrationContext, changelogTopicName } from './forwarding-context';
import { WrappedStateStore, type LayeredStore } from './wrapped-state-store';

/**
 * Base of the change-logging layers (key-value, window, session): registers the store below with
 * its changelog topic `<applicationId>-<name>-changelog` and sends each write there via
 * `context.logChange`, with the current record's timestamp.
 */
export abstract class ChangeLoggingStore<S extends LayeredStore> extends WrappedStateStore<S> {
  private context: StateStoreContext | undefined;

  override init(context: StateStoreContext, root: StateStore): void | Promise<void> {
    this.context = context;
    return this.inner.init(
      new ChangelogRegistrationContext(context, changelogTopicName(context.applicationId, this.name)),
      root,
    );
  }

  /** Logs one write under its store key; a write the store below dropped (`undefined` key) logs nothing. */
  protected log(storeKey: Buffer | undefined, value: Buffer | null): void {
    if (storeKey === undefined) return;
    const context = this.context;
    if (context === undefined) throw new InvalidStateStoreError(`store ${this.name} is not initialized`);
    context.logChange(this.name, storeKey, value, context.currentTimestamp());
  }
}
