import type { Collection, Document } from 'mongodb';
import { MongoSinkError } from '../errors/mongo-sink-error';
import { MongoSinkOptions } from '../mongo-sink-options';
import { MongoSinkMetrics } from './mongo-sink-metrics';
import { classifyWriteFailure } from './retriable';
import { backoffMs, Sleeper } from './retry-loop';

/** What the tasks of one sink share: its options, metrics and the one-time index creation. */
export class SinkShared<K, V> {
  readonly metrics: MongoSinkMetrics;
  private indexes: Promise<void> | null = null;

  constructor(readonly options: MongoSinkOptions<K, V>) {
    this.metrics = new MongoSinkMetrics(options.metricsRegistry);
  }

  /**
   * Creates the declared indexes once per sink (idempotent on the server too), retrying retriable
   * failures like writes; a refused index definition rejects with a non-retriable `MongoSinkError`.
   */
  ensureIndexes(
    collection: Collection<Document>,
    sleeper = new Sleeper(),
    isClosed: () => boolean = () => false,
  ): Promise<void> {
    const o = this.options;
    if (o.indexes.length === 0) return Promise.resolve();
    if (!this.indexes) {
      this.indexes = this.createIndexes(collection, sleeper, isClosed).catch((e) => {
        this.indexes = null;
        throw e;
      });
    }
    return this.indexes;
  }

  private async createIndexes(
    collection: Collection<Document>,
    sleeper: Sleeper,
    isClosed: () => boolean,
  ): Promise<void> {
    const o = this.options;
    const started = Date.now();
    for (let attempt = 1; ; attempt++) {
      try {
        await collection.createIndexes([...o.indexes]);
        o.logger.info('MongoDB sink indexes ready', {
          sink: o.name,
          collection: collection.collectionName,
          indexes: o.indexes.length,
        });
        return;
      } catch (e) {
        const f = classifyWriteFailure(e, 1);
        if (f.kind === 'fatal') {
          throw new MongoSinkError(
            `Creating the indexes of MongoDB sink "${o.name}" on collection "${collection.collectionName}" failed (codes ${f.codes.join(',') || 'none'}): ${(e as Error).message}`,
            { cause: e },
          );
        }
        if (isClosed() || Date.now() - started >= o.maxRetryTimeMs) {
          throw new MongoSinkError(
            `Creating the indexes of MongoDB sink "${o.name}" gave up after ${attempt} attempts`,
            { cause: e, retriable: true },
          );
        }
        this.metrics.retries.inc({ sink: o.name, reason: f.reason });
        o.logger.warn('Creating MongoDB sink indexes failed; retrying', { sink: o.name, attempt, error: e });
        await sleeper.sleep(backoffMs(attempt, o.initialBackoffMs, o.maxBackoffMs));
      }
    }
  }
}
