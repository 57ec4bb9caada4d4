import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import type { EmbeddedKafka } from '@gmart/embedded-kafka';
import { createTopics, produce, startBroker } from '@gmart/test-support';
import type { Kafka } from 'kafkajs';
import { type StreamsService, bootstrapStreamsService } from '../src';
import { WordCountModule, wordCountConfig } from './fixtures/word-count.module';

jest.setTimeout(120_000);

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A port nothing listens on (bound, then closed). */
async function deadPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as { port: number };
  await new Promise<void>((r) => server.close(() => r()));
  return port;
}

/** Status and body of `GET <url>`. */
async function get(url: string): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(url);
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

/**
 * `InteractiveQueries.routed` between two instances of one service over the embedded broker. The
 * second instance advertises an address nothing listens on (`APPLICATION_SERVER`), so forwarding
 * to it must fail with 502 while it still answers its own keys and forwards the others to the first.
 */
describe('routed interactive queries (InteractiveQueries.routed)', () => {
  let broker: EmbeddedKafka;
  let stateDir: string;
  const services: StreamsService[] = [];
  // 40 words, word i sent i % 5 + 1 times: the brute-force counts.
  const words = Array.from({ length: 40 }, (_, i) => `w${i}`);
  const expected = new Map(words.map((w, i) => [w, (i % 5) + 1]));

  beforeAll(async () => {
    let kafka: Kafka;
    ({ broker, kafka } = await startBroker());
    await createTopics(kafka, [{ topic: 'words', numPartitions: 4 }, { topic: 'word-count-iq-dlq' }]);
    await produce(
      kafka,
      'words',
      words.flatMap((w) => Array.from({ length: expected.get(w)! }, () => ({ key: w, value: w }))),
    );
    stateDir = mkdtempSync(join(tmpdir(), 'nest-streams-iq-'));
    const unreachable = await deadPort();
    for (const [name, extra] of [
      ['a', {}],
      ['b', { APPLICATION_SERVER: `127.0.0.1:${unreachable}` }],
    ] as const) {
      services.push(
        await bootstrapStreamsService({
          module: WordCountModule,
          config: wordCountConfig,
          env: {
            KAFKA_BROKERS: broker.bootstrapServers,
            APPLICATION_ID: 'word-count-iq',
            HTTP_PORT: '0',
            STATE_DIR: join(stateDir, name),
            COMMIT_INTERVAL_MS: '200',
            LOG_LEVEL: 'warn',
            ...extra,
          },
          handleSignals: false,
          host: '127.0.0.1',
          logDestination: new Writable({ write: (_c, _e, cb) => cb() }),
        }),
      );
    }
  });

  afterAll(async () => {
    for (const s of services) await s.close();
    await broker?.stop();
    if (stateDir) rmSync(stateDir, { recursive: true, force: true });
  });

  it('answers here, forwards to the owner, and says 502 when the owner cannot be reached', async () => {
    const [a, b] = services as [StreamsService, StreamsService];
    expect(a.streams.applicationServer).toBe(a.url.replace('http://', ''));
    expect(b.streams.applicationServer).not.toBe(b.url.replace('http://', ''));
    // Wait until both instances run, share the partitions and hold every count between them.
    const deadline = Date.now() + 90_000;
    let held: { a: Set<string>; b: Set<string> } | undefined;
    while (Date.now() < deadline) {
      const local = async (s: StreamsService) => {
        const got = new Set<string>();
        for (const w of words) {
          const r = await get(`${s.url}/counts/${w}?local=true`);
          if (r.status === 200 && r.body.count === expected.get(w)) got.add(w);
        }
        return got;
      };
      const [ha, hb] = [await local(a), await local(b)];
      if (ha.size > 0 && hb.size > 0 && ha.size + hb.size === words.length) {
        held = { a: ha, b: hb };
        // The group's assignment is known to both once neither answers 503 for a routed query.
        const routedStatuses = await Promise.all(
          [a, b].flatMap((s) => words.map(async (w) => (await fetch(`${s.url}/counts/${w}`)).status)),
        );
        if (!routedStatuses.includes(503)) break;
      }
      held = undefined;
      await sleep(250);
    }
    expect(held).toBeDefined();
    const { a: onA, b: onB } = held!;
    // b answers every word: its own from its store, a's by asking a (which answers with ?local=true).
    for (const w of words) {
      const r = await get(`${b.url}/counts/${w}`);
      expect([w, r.status, r.body.count]).toEqual([w, 200, expected.get(w)]);
    }
    // a answers its own words, and 502 for b's: b's advertised address has no listener.
    for (const w of onA) expect((await get(`${a.url}/counts/${w}`)).body.count).toBe(expected.get(w));
    for (const w of onB) {
      const r = await get(`${a.url}/counts/${w}`);
      expect(r.status).toBe(502);
      expect(String(r.body.message)).toContain(`the instance holding ${w} (${b.streams.applicationServer})`);
    }
    // A word nobody holds: 404 from the owner, whichever it is (asked from b, the reachable router).
    expect((await get(`${b.url}/counts/never-sent`)).status).toBe(404);
  });

  it('answers 503 with the state, never a wrong 404, once the streams client is not RUNNING', async () => {
    const a = services[0]!;
    await a.transport.close();
    for (const path of ['/counts/w1', '/counts/w1?local=true']) {
      const r = await get(`${a.url}${path}`);
      expect(r.status).toBe(503);
      expect(r.body.state).toBe(a.status.state);
    }
  });
});
