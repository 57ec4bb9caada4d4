/**
 * kafkajs' record codec on the runtime's path, A/B in one process: the patched kafkajs of this
 * checkout against another checkout's (CODEC_AB_BASE; unset: this checkout, a same-code control), each loaded from its own
 * node_modules. Per side and shape it
 *
 * - encodes produce requests (Produce v3, uncompressed, numeric timestamps, `headers: {}`: the
 *   records as the seam hands them over) with the request's batch arena, released after each
 *   request as the producer does once the broker answered;
 * - decodes fetch responses (Fetch v11) holding those batches and makes the consumer's `Batch` of
 *   each partition, reading its lags and offsets as kafkajs' runner does and every record's fields
 *   as the seam does.
 *
 * Before timing, both sides' requests must be the same bytes and both sides' decoded records the
 * same. Prints CPU ns per record for each pair (the order alternating), the medians and the median
 * this/base ratio per pair.
 *
 * Env: CODEC_AB_BASE (checkout root), CODEC_SHAPES (purchase,stock), CODEC_RECORDS (records per
 * request, default 400), CODEC_PARTITIONS (partitions per request, default 4), CODEC_REQUESTS
 * (requests per timed run, default 2000), CODEC_PAIRS (default 7), CODEC_PARTS (produce,fetch).
 */
import * as path from 'node:path';
import { median } from '@gmart/bench-support';
import { benchCommandLine } from '@gmart/command-line';

const USAGE = `Usage: npm run bench:codec-micro -w @gmart/streams

kafkajs' record codec on the runtime's path, A/B in one process: produce requests (Produce v3) encoded
and fetch responses (Fetch v11) decoded into the consumer's batches as the runtime does, with this
checkout's patched kafkajs and another checkout's, for a purchase (masking) and a stock-analytics
record; both sides must write the same bytes and decode the same records. Prints CPU ns per record
per pair, the medians and the median this/base ratio.

Settings come from the environment: CODEC_AB_BASE (the other checkout's root; unset: this checkout
against itself, a control of the harness), CODEC_SHAPES (purchase,stock), CODEC_RECORDS (records per
request, default 400), CODEC_PARTITIONS (partitions per request, default 4), CODEC_REQUESTS (requests
per timed run, default 2000), CODEC_PAIRS (default 7), CODEC_PARTS (produce,fetch).

  -h, --help   show this help
`;

// The benchmark takes no flags (its settings are environment variables).
benchCommandLine('bench:codec-micro @gmart/streams', USAGE);

/* eslint-disable @typescript-eslint/no-require-imports, @typescript-eslint/no-explicit-any -- kafkajs' untyped internals, loaded from a checkout at run time */

interface Side {
  readonly name: 'base' | 'this';
  readonly produceV3: (args: object) => { encode(): Promise<{ buffers?: Buffer[]; buffer: Buffer }> };
  readonly fetchV11: { decode(raw: Buffer): Promise<any>; parse(r: any): Promise<any> };
  readonly Batch: new (
    topic: string,
    fetchedOffset: string,
    partitionData: any,
  ) => {
    records?: any[];
    offsetLag(): string;
    offsetLagLow(): string;
    firstOffset(): string | null;
    lastOffset(): string;
  };
  readonly batchBuffers: { arena(): { release(): void } } | undefined;
  readonly Long: { fromInt(v: number): unknown };
}

function side(name: Side['name'], root: string): Side {
  const src = (p: string) => require(path.join(root, 'node_modules/kafkajs/src', p));
  let batchBuffers: Side['batchBuffers'];
  try {
    batchBuffers = src('protocol/recordBatch/v0/batchBufferPool').batchBuffers;
  } catch {
    batchBuffers = undefined;
  }
  return {
    name,
    produceV3: src('protocol/requests/produce/v3/request'),
    fetchV11: src('protocol/requests/fetch/v11/response'),
    Batch: src('consumer/batch'),
    batchBuffers,
    Long: src('utils/long'),
  };
}
/* eslint-enable @typescript-eslint/no-require-imports */

interface Message {
  key: Buffer | null;
  value: Buffer | null;
  partition: number;
  timestamp: number;
  headers: Record<string, Buffer>;
}

/** The bytes of a record of `shape` number `i` (fixed sizes, varied contents). */
function bytes(size: number, i: number): Buffer {
  const b = Buffer.allocUnsafe(size);
  for (let j = 0; j < size; j++) b[j] = 32 + ((i * 31 + j * 7) % 90);
  return b;
}

/**
 * A purchase as masking writes it (333 bytes of JSON, keyed by nothing); a stock-analytics record
 * (8-byte key, 96-byte value: a trade, a count, a repartitioned record).
 */
const SHAPES: Record<string, (i: number) => { key: Buffer | null; value: Buffer }> = {
  purchase: (i) => ({ key: null, value: bytes(333, i) }),
  stock: (i) => ({ key: bytes(8, i % 50), value: bytes(96, i) }),
};

function requestMessages(shape: string, records: number, partitions: number, seed: number): Message[][] {
  const per: Message[][] = Array.from({ length: partitions }, () => []);
  for (let i = 0; i < records; i++) {
    const { key, value } = SHAPES[shape](seed + i);
    const partition = i % partitions;
    per[partition].push({ key, value, partition, timestamp: 1_765_000_000_000 + seed + i, headers: {} });
  }
  return per;
}

async function encodeRequest(s: Side, per: Message[][], topic: string, copy = false): Promise<Buffer[]> {
  const arena = s.batchBuffers?.arena();
  const req = s.produceV3({
    acks: -1,
    timeout: 30000,
    transactionalId: null,
    producerId: s.Long.fromInt(-1),
    producerEpoch: 0,
    topicData: [
      {
        topic,
        partitions: per.map((messages, partition) => ({ partition, messages, firstSequence: 0, arena })),
      },
    ],
  });
  const encoded = await req.encode();
  const out = encoded.buffers ?? [encoded.buffer];
  // The broker answered: the arena's memory is reused (a copy first where the bytes are kept).
  const kept = copy ? out.map((b) => Buffer.from(b)) : out;
  arena?.release();
  return kept;
}

/** A Fetch v11 response of `topic` holding each partition's batch (as encoded) at `baseOffset`. */
function fetchResponse(topic: string, batches: Buffer[], baseOffset: number): Buffer {
  const parts: Buffer[] = [];
  const head = Buffer.alloc(4 + 2 + 4 + 4 + 2 + Buffer.byteLength(topic) + 4);
  let o = head.writeInt32BE(0, 0);
  o = head.writeInt16BE(0, o);
  o = head.writeInt32BE(0, o);
  o = head.writeInt32BE(1, o);
  o = head.writeInt16BE(Buffer.byteLength(topic), o);
  o += head.write(topic, o);
  head.writeInt32BE(batches.length, o);
  parts.push(head);
  batches.forEach((b, partition) => {
    // The encoded partition: partition, record set size, then the batch (FirstOffset 0).
    const batch = Buffer.from(b.subarray(8));
    batch.writeBigInt64BE(BigInt(baseOffset), 0);
    const count = batch.readInt32BE(57);
    const p = Buffer.alloc(4 + 2 + 8 + 8 + 8 + 4 + 4 + 4);
    let q = p.writeInt32BE(partition, 0);
    q = p.writeInt16BE(0, q);
    q = p.writeBigInt64BE(BigInt(baseOffset + count), q);
    q = p.writeBigInt64BE(BigInt(baseOffset + count), q);
    q = p.writeBigInt64BE(0n, q);
    q = p.writeInt32BE(0, q); // no aborted transactions
    q = p.writeInt32BE(-1, q);
    p.writeInt32BE(batch.length, q);
    parts.push(p, batch);
  });
  return Buffer.concat(parts);
}

/** The encoded partitions of a request: each `partition, size, batch` (the buffers after the topic's head). */
function partitionsOf(request: Buffer): Buffer[] {
  // transactional_id (-1), acks, timeout, topic count, topic string, partition count
  let o = 2 + 2 + 4 + 4;
  o += 2 + request.readInt16BE(o);
  const n = request.readInt32BE(o);
  o += 4;
  const out: Buffer[] = [];
  for (let i = 0; i < n; i++) {
    const size = request.readInt32BE(o + 4);
    out.push(request.subarray(o, o + 8 + size));
    o += 8 + size;
  }
  return out;
}

interface Digest {
  count: number;
  sum: number;
}

async function decodeResponse(s: Side, topic: string, raw: Buffer, baseOffset: number, d: Digest) {
  const response = await s.fetchV11.parse(await s.fetchV11.decode(raw));
  for (const t of response.responses)
    for (const p of t.partitions) {
      const batch = new s.Batch(topic, String(baseOffset), p);
      // What kafkajs' runner reads of every batch (its START_BATCH_PROCESS payload), then the seam.
      d.sum += Number(batch.offsetLag()) + Number(batch.offsetLagLow());
      d.sum += Number(batch.firstOffset()) + Number(batch.lastOffset());
      const records = batch.records ?? (batch as unknown as { messages: any[] }).messages;
      for (const r of records) {
        d.count++;
        d.sum += Number(r.offset) + Number(r.timestamp) + (r.key ? r.key.length : 0) + r.value.length;
        d.sum += r.value[r.value.length - 1];
      }
    }
}

async function main() {
  const thisRoot = path.resolve(__dirname, '../../..');
  const baseRoot = process.env.CODEC_AB_BASE ?? thisRoot;
  const sides = [side('base', baseRoot), side('this', thisRoot)];
  const shapes = (process.env.CODEC_SHAPES ?? 'purchase,stock').split(',');
  const parts = (process.env.CODEC_PARTS ?? 'produce,fetch').split(',');
  const records = Number(process.env.CODEC_RECORDS ?? 400);
  const partitions = Number(process.env.CODEC_PARTITIONS ?? 4);
  const requests = Number(process.env.CODEC_REQUESTS ?? 2000);
  const pairs = Number(process.env.CODEC_PAIRS ?? 7);
  const topic = 'gmart-bench-codec-topic';
  console.log(
    `base ${baseRoot}, this ${thisRoot}: ${records} records in ${partitions} partitions per request, ${requests} requests per run, ${pairs} pairs`,
  );

  for (const shape of shapes) {
    // Distinct requests so that no side sees the same few inputs over and over.
    const inputs = Array.from({ length: 16 }, (_, k) =>
      requestMessages(shape, records, partitions, k * records),
    );
    // The same bytes from both sides.
    const encoded = await Promise.all(
      sides.map(async (s) => Buffer.concat(await encodeRequest(s, inputs[0], topic, true))),
    );
    if (!encoded[0].equals(encoded[1])) throw new Error(`${shape}: base and this encode different bytes`);
    const responses = inputs.map((_, k) => fetchResponse(topic, partitionsOf(encoded[0]), 1000 * k));
    const digests = await Promise.all(
      sides.map(async (s) => {
        const d = { count: 0, sum: 0 };
        await decodeResponse(s, topic, responses[3], 3000, d);
        return d;
      }),
    );
    if (digests[0].sum !== digests[1].sum || digests[0].count !== records)
      throw new Error(`${shape}: base and this decode differently`);

    for (const part of parts) {
      const run = async (s: Side): Promise<number> => {
        const start = process.cpuUsage();
        if (part === 'produce')
          for (let i = 0; i < requests; i++) await encodeRequest(s, inputs[i % inputs.length], topic);
        else {
          const d = { count: 0, sum: 0 };
          for (let i = 0; i < requests; i++)
            await decodeResponse(s, topic, responses[i % responses.length], 1000 * (i % responses.length), d);
        }
        const used = process.cpuUsage(start);
        return ((used.user + used.system) * 1000) / (requests * records);
      };
      for (let w = 0; w < 2; w++) for (const s of sides) await run(s); // warm-up (both sides optimised)
      if (pairs === 0) continue; // a profile's run: the warm-up only
      const ns: Record<Side['name'], number[]> = { base: [], this: [] };
      const ratios: number[] = [];
      for (let p = 0; p < pairs; p++) {
        const pair: Partial<Record<Side['name'], number>> = {};
        for (const s of p % 2 === 0 ? sides : [...sides].reverse()) {
          pair[s.name] = await run(s);
          ns[s.name].push(pair[s.name]!);
        }
        ratios.push(pair.this! / pair.base!);
      }
      console.log(
        `${shape} ${part}: base median ${median(ns.base).toFixed(0)}, this median ${median(ns.this).toFixed(0)} ns CPU per record; this/base per pair median ${median(ratios).toFixed(3)} (${ratios.map((r) => r.toFixed(2)).join(' ')})`,
      );
    }
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
