/**
 * The broker never crashes on a bad frame, in either version family: for every
 * registered API and every version it serves (flexible or not), requests whose
 * bodies are random bytes (a fixed seed) or truncated valid bodies either get
 * an answer or have their connection closed with a logged reason; no handler
 * fails, and the broker keeps serving other connections throughout.
 */
import * as net from 'node:net';
import { EmbeddedKafka } from '../../src';
import { Encoder } from '../../src/protocol/encoder';
import { startBroker } from '../groups/support/broker';
import { RawClient } from '../helpers/raw-client';
import { seededRandom } from '../helpers/seeded-random';

/** A whole frame: size, request header (v2 with an empty tag buffer when `flexible`), body. */
function frame(apiKey: number, version: number, flexible: boolean, body: Buffer): Buffer {
  const e = new Encoder();
  e.writeInt32(0).writeInt16(apiKey).writeInt16(version).writeInt32(7).writeNullableString('fuzz');
  if (flexible) e.writeUnsignedVarInt(0);
  e.writeRaw(body);
  const b = e.toBuffer();
  b.writeInt32BE(b.length - 4, 0);
  return b;
}

/** Sends one frame; resolves when an answer arrives, the broker closes, or `waitMs` passes. */
function probe(bootstrap: string, bytes: Buffer, waitMs: number): Promise<'answered' | 'closed' | 'waiting'> {
  const [host, port] = bootstrap.split(':');
  return new Promise((resolve) => {
    const s = net.connect(Number(port), host!, () => s.write(bytes));
    const done = (r: 'answered' | 'closed' | 'waiting') => {
      clearTimeout(timer);
      s.removeAllListeners('close');
      s.destroy();
      resolve(r);
    };
    const timer = setTimeout(() => done('waiting'), waitMs);
    s.on('data', () => done('answered'));
    s.on('close', () => done('closed'));
    s.on('error', () => {});
  });
}

describe('bad frames, every API and version', () => {
  let broker: EmbeddedKafka;
  const errors: string[] = [];
  const warnings: string[] = [];

  beforeAll(async () => {
    broker = await startBroker({
      autoCreateTopics: false,
      logger: { info: () => {}, warn: (m) => warnings.push(m), error: (m) => errors.push(m) },
    });
  });

  afterAll(async () => {
    await broker.stop();
  });

  async function stillServes(): Promise<void> {
    const c = await RawClient.connect(broker.bootstrapServers);
    try {
      const d = await c.request(
        18,
        3,
        (e) => e.writeCompactString('a').writeCompactString('1').writeTaggedFields(),
        {
          flexible: true,
        },
      );
      expect(d.readInt16()).toBe(0);
    } finally {
      c.close();
    }
  }

  it('answers or closes on random bodies for every served version, and keeps serving', async () => {
    const c = await RawClient.connect(broker.bootstrapServers);
    const d = await c.request(18, 2, () => {});
    d.readInt16();
    const ranges = d.readArray((x) => [x.readInt16(), x.readInt16(), x.readInt16()] as const);
    c.close();
    const flexibleFrom = new Map<number, number>([
      [0, 9],
      [1, 12],
      [2, 6],
      [3, 9],
      [8, 8],
      [9, 6],
      [10, 3],
      [11, 6],
      [12, 4],
      [13, 4],
      [14, 4],
      [15, 5],
      [16, 3],
      [18, 3],
      [19, 5],
      [20, 4],
      [21, 2],
      [22, 2],
      [32, 4],
      [33, 2],
      [37, 2],
      [42, 2],
    ]);
    const random = seededRandom(0x16);
    const outcomes = { answered: 0, closed: 0, waiting: 0 };
    let probes = 0;
    for (const [apiKey, , max] of ranges) {
      for (let v = 0; v <= max; v++) {
        const flexible = v >= (flexibleFrom.get(apiKey) ?? Infinity);
        const bodies: Buffer[] = [Buffer.alloc(0)];
        for (let i = 0; i < 3; i++) {
          const n = Math.floor(random() * 48);
          bodies.push(Buffer.from(Array.from({ length: n }, () => Math.floor(random() * 256))));
        }
        const results = await Promise.all(
          bodies.map((b) => probe(broker.bootstrapServers, frame(apiKey, v, flexible, b), 300)),
        );
        for (const r of results) outcomes[r]++;
        probes += bodies.length;
      }
      await stillServes();
    }
    expect(probes).toBeGreaterThan(500);
    // malformed bodies are refused by closing the connection, with the reason logged
    expect(outcomes.closed).toBeGreaterThan(probes / 2);
    expect(warnings.some((w) => /malformed .* request/.test(w))).toBe(true);
    expect(errors).toEqual([]);
    await stillServes();
  });

  it('closes on every truncation of a valid flexible Metadata v12 request, and answers the whole one', async () => {
    const body = new Encoder();
    body.writeCompactArray(['a-topic', 'b'], (x, t) =>
      x.writeUuid('0'.repeat(32)).writeCompactString(t).writeTaggedFields(),
    );
    body.writeBoolean(false).writeBoolean(true).writeTaggedFields();
    const full = body.toBuffer();
    for (let cut = 0; cut < full.length; cut++) {
      expect(await probe(broker.bootstrapServers, frame(3, 12, true, full.subarray(0, cut)), 2000)).toBe(
        'closed',
      );
    }
    expect(await probe(broker.bootstrapServers, frame(3, 12, true, full), 2000)).toBe('answered');
    expect(errors).toEqual([]);
  });
});
