import * as fs from 'node:fs';
import * as path from 'node:path';

/**
 * The repository patches kafkajs 2.2.4 at install (`patches/kafkajs+2.2.4.patch`, applied by the
 * root `postinstall`: patch-package): its producer grouped messages per partition in O(n^2)
 * (tulios/kafkajs#1576); its record-batch decoder failed a whole fetch (and so the consumer) on one
 * batch it could not decompress; its consumer had no hook to commit before rejoining a rebalancing
 * group; its producer failed a whole request, and rolled back every partition's sequence numbers,
 * when the broker refused one partition's batch. These tests fail if the install did not apply the patch, and check that
 * the patched grouping keeps every message, in order, in its partition.
 */
describe('kafkajs as installed', () => {
  const file = require.resolve('kafkajs/src/producer/groupMessagesPerPartition.js');
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const group = require(file) as (args: {
    topic: string;
    partitionMetadata: unknown[];
    messages: Array<{ partition: number; value: string }>;
    partitioner: (a: { message: { partition: number } }) => number;
  }) => Record<string, Array<{ value: string }>>;

  it('carries the linear-time groupMessagesPerPartition patch', () => {
    const patch = fs.readFileSync(path.resolve(__dirname, '../../../../patches/kafkajs+2.2.4.patch'), 'utf8');
    expect(patch).toContain('groupMessagesPerPartition.js');
    const source = fs.readFileSync(file, 'utf8');
    expect(source).not.toContain('Object.assign(result');
    expect(source).toContain('current.push(message)');
  });

  it('carries the undecodable-batch patch of the record-batch decoder', () => {
    const source = fs.readFileSync(require.resolve('kafkajs/src/protocol/recordBatch/v0/decoder.js'), 'utf8');
    expect(source).toContain('undecodableBatchRecord');
    expect(source).toContain('codec: CODEC_NAMES[id]');
  });

  it('carries the beforeRejoin patch of the consumer (awaited before rejoining a rebalancing group)', () => {
    const runner = fs.readFileSync(require.resolve('kafkajs/src/consumer/runner.js'), 'utf8');
    const hook = runner.indexOf('await this.beforeRejoin()');
    expect(hook).toBeGreaterThan(0);
    // Inside the rebalance branch, before the rejoin.
    expect(runner.lastIndexOf('The group is rebalancing, re-joining', hook)).toBeGreaterThan(0);
    expect(runner.indexOf('await this.consumerGroup.joinAndSync()', hook)).toBeGreaterThan(hook);
    expect(fs.readFileSync(require.resolve('kafkajs/src/consumer/index.js'), 'utf8')).toContain(
      'beforeRejoin,',
    );
  });

  it('carries the seek-generation patch of the consumer (a seek of an earlier generation is dropped)', () => {
    // The behaviour: test/integration/exactly-once-zombie-repartition.test.ts.
    const group = fs.readFileSync(require.resolve('kafkajs/src/consumer/consumerGroup.js'), 'utf8');
    expect(group).toContain(
      'this.seekGeneration.set(this.seekOffset.getKey(topic, partition), this.generationId)',
    );
    expect(group).toMatch(/seekGenerationId !== null && seekGenerationId !== generationId/);
    // A seek told the generation its offsets were read under is dropped once the member left it
    // (the behaviour: the seek test of test/client/client-contract.test.ts).
    expect(group).toContain('if (generationId !== undefined && generationId !== this.generationId) {');
    expect(fs.readFileSync(require.resolve('kafkajs/src/consumer/index.js'), 'utf8')).toContain(
      'consumerGroup.seek({ topic, partition, offset: seekOffset.toString(), generationId })',
    );
  });

  it('carries the require-stable patch (OffsetFetch v5-v7, UNSTABLE_OFFSET_COMMIT retried, codes 89-90 named)', () => {
    // The behaviour: test/client/kafkajs-require-stable.test.ts.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const offsetFetch = require('kafkajs/src/protocol/requests/offsetFetch') as { versions: string[] };
    expect(offsetFetch.versions).toEqual(['1', '2', '3', '4', '5', '6', '7']);
    const broker = fs.readFileSync(require.resolve('kafkajs/src/broker/index.js'), 'utf8');
    expect(broker).toContain("e.type !== 'UNSTABLE_OFFSET_COMMIT'");
    const offsetManager = fs.readFileSync(
      require.resolve('kafkajs/src/consumer/offsetManager/index.js'),
      'utf8',
    );
    expect(offsetManager).toContain('requireStable: this.requireStable');
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { createErrorFromCode } = require('kafkajs/src/protocol/error');
    expect(createErrorFromCode(90).type).toBe('PRODUCER_FENCED');
  });

  it('carries the coordinator-cache patch of the transaction manager (one FindCoordinator per coordinator)', () => {
    // The behaviour: test/client/kafkajs-coordinator-cache.test.ts.
    const eos = fs.readFileSync(require.resolve('kafkajs/src/producer/eosManager/index.js'), 'utf8');
    expect(eos).toContain('const createCoordinatorCache = lookup =>');
    expect(eos).toContain('transactionCoordinator.forget(broker)');
    expect(eos).toContain('groupCoordinatorCache.forget(coordinator)');
  });

  it('carries the prefetch patch of the consumer (the next Fetch while a batch is processed)', () => {
    // The behaviour: test/client/kafkajs-prefetch.test.ts.
    const fetcher = fs.readFileSync(require.resolve('kafkajs/src/consumer/fetcher.js'), 'utf8');
    expect(fetcher).toContain('takeAhead = prefetch(nodeId, availableBatches)');
    const group = fs.readFileSync(require.resolve('kafkajs/src/consumer/consumerGroup.js'), 'utf8');
    expect(group).toContain('takePrefetched({ batches, generationId, memberId })');
    expect(fs.readFileSync(require.resolve('kafkajs/src/consumer/index.js'), 'utf8')).toContain(
      'prefetchMaxBytes,',
    );
  });

  it('carries the per-partition produce results patch (a refused partition fails alone, the written ones keep their sequences)', () => {
    // The behaviour: the refused-partitions test of test/client/client-contract.test.ts and
    // test/integration/produce-refused-partition.test.ts.
    const send = fs.readFileSync(require.resolve('kafkajs/src/producer/sendMessages.js'), 'utf8');
    expect(send).toContain('class KafkaJSProduceRefused extends KafkaJSNonRetriableError');
    expect(send).toContain('if (!answered || failed.has(partitionKey(topic, entry.partition)))');
    expect(send).toContain('keys(messagesPerPartition).filter(p => pending(topic, Number(p)))');
    const response = fs.readFileSync(
      require.resolve('kafkajs/src/protocol/requests/produce/v3/response.js'),
      'utf8',
    );
    expect(response).toContain('error.produceResponse = data');
  });

  it('carries the response-reader patch of the connection (plain TCP read with onread, no concatenation)', () => {
    // The behaviour: test/client/kafkajs-response-reader.test.ts.
    const connection = fs.readFileSync(require.resolve('kafkajs/src/network/connection.js'), 'utf8');
    expect(connection).toContain('new ResponseReader(');
    expect(connection).toContain('processFrame(frame) {');
    const factory = fs.readFileSync(require.resolve('kafkajs/src/network/socketFactory.js'), 'utf8');
    expect(factory).toContain('{ host, port, onread }');
    expect(fs.readFileSync(require.resolve('kafkajs/src/network/socket.js'), 'utf8')).toContain(
      'socketFactory({ host, port, ssl, onread, onConnect })',
    );
  });

  it('groups every message into its partition, in order', () => {
    const messages = Array.from({ length: 1000 }, (_, i) => ({ partition: (i * 7) % 3, value: `m${i}` }));
    const grouped = group({
      topic: 't',
      partitionMetadata: [{}, {}, {}],
      messages,
      partitioner: ({ message }) => message.partition,
    });
    expect(Object.keys(grouped).sort()).toEqual(['0', '1', '2']);
    for (const p of [0, 1, 2]) {
      expect(grouped[p]!.map((m) => m.value)).toEqual(
        messages.filter((m) => m.partition === p).map((m) => m.value),
      );
    }
    expect(group({ topic: 't', partitionMetadata: [], messages, partitioner: () => 0 })).toEqual({});
  });
});
