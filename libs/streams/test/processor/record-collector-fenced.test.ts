/**
 * A send that fails because the producer was fenced, in a transaction (`exactly_once_v2`): as Kafka
 * Streams' RecordCollectorImpl#recordSendError, that is TaskMigrated, not a record's failure. No
 * production handler is asked about the records (its FAIL would end the thread, which must instead
 * redo the transaction), nothing is split and re-sent, and the next flush (the commit's) throws the
 * fencing error so the thread aborts and redoes the work. A refusal by the broker (MESSAGE_TOO_LARGE)
 * still goes to the handler and dooms the transaction.
 */
import type { ProduceAck, ProduceRecord, StreamsProducer } from '../../src/client/kafka-client';
import { ProducerFencedError } from '../../src/errors/producer-fenced-error';
import { ProduceRefusedError } from '../../src/errors/produce-refused-error';
import { ProductionError } from '../../src/errors/production-error';
import type { RuntimeRecordCollector } from '../../src/processor/internals/runtime-record-collector';
import { outCollector } from '../helpers/out-collector';

/** A producer each request of which fails with what `fail` returns for it. */
class FailingProducer implements StreamsProducer {
  readonly requests: ProduceRecord[][] = [];
  constructor(private readonly fail: (records: ProduceRecord[]) => Error) {}
  async connect(): Promise<void> {}
  async disconnect(): Promise<void> {}
  async send(records: ProduceRecord[]): Promise<ProduceAck[]> {
    this.requests.push(records);
    throw this.fail(records);
  }
}

/** A Kafka client's protocol error with the error name in `type`, as kafkajs reports it. */
function kafkaError(type: string): Error {
  return Object.assign(new Error(`broker said ${type}`), { name: 'KafkaJSProtocolError', type });
}

function sendFour(c: RuntimeRecordCollector, failures: Error[]): void {
  for (let n = 0; n < 4; n++)
    c.send(
      { topic: 'out', partition: 0, key: null, value: Buffer.from([n]), timestamp: 0, headers: {} },
      (_r, e) => failures.push(e),
    );
}

describe('record collector in a transaction: a fenced producer is TaskMigrated, not a record failure', () => {
  it.each([
    ['ProducerFencedError', () => new ProducerFencedError('transactional producer t-0 was fenced (send)')],
    ['INVALID_PRODUCER_EPOCH', () => kafkaError('INVALID_PRODUCER_EPOCH')],
    ['OUT_OF_ORDER_SEQUENCE_NUMBER', () => kafkaError('OUT_OF_ORDER_SEQUENCE_NUMBER')],
  ])('%s: no handler call, no re-send in halves, and flush throws it', async (_name, make) => {
    const error = make();
    const producer = new FailingProducer(() => error);
    const c = outCollector(producer, { batchSize: 1000 }, true);
    const failures: Error[] = [];
    sendFour(c, failures);
    await expect(c.flush()).rejects.toBe(error);
    expect(failures).toEqual([]);
    expect(producer.requests.map((r) => r.length)).toEqual([4]);
  });

  it('a record the broker refused still goes to the handler and dooms the transaction', async () => {
    const tooLarge = kafkaError('MESSAGE_TOO_LARGE');
    const producer = new FailingProducer(
      (records) =>
        new ProduceRefusedError([], [{ topic: 'out', partition: 0, error: tooLarge }], { cause: records }),
    );
    const c = outCollector(producer, { batchSize: 1000 }, true);
    const failures: Error[] = [];
    sendFour(c, failures);
    await expect(c.flush()).rejects.toBeInstanceOf(ProductionError);
    // Split down to the first record, which the handler gets; nothing more is sent after it.
    expect(failures[0]).toBe(tooLarge);
    expect(producer.requests.map((r) => r.length)).toEqual([4, 2, 1]);
  });

  it('without a transaction a fencing-like error still reaches the handler (no TaskMigrated there)', async () => {
    const error = kafkaError('OUT_OF_ORDER_SEQUENCE_NUMBER');
    const c = outCollector(new FailingProducer(() => error), { batchSize: 1000 });
    const failures: Error[] = [];
    sendFour(c, failures);
    await c.flush();
    expect(failures).toEqual([error, error, error, error]);
  });
});
