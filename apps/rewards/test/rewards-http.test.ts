import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Writable } from 'node:stream';
import type { EmbeddedKafka } from '@gmart/embedded-kafka';
import { cardNumberRedactor } from '@gmart/gmart';
import { bootstrapStreamsService, type StreamsService } from '@gmart/nest-streams';
import { createTopics, startBroker } from '@gmart/test-support';
import type { Kafka } from 'kafkajs';
import { RewardsModule, rewardsConfig } from '../src';

jest.setTimeout(120000);

/**
 * The real rewards NestJS app over the embedded broker (issue 11, findings 5 and 6): while the
 * streams client is not RUNNING the store is not queryable and the answers are 503 with the state
 * (not "no rewards"); no X-Powered-By; a 404 is logged at info without a stack.
 */
describe('rewards HTTP while the store is not queryable', () => {
  let broker: EmbeddedKafka;
  let service: StreamsService | undefined;
  const logLines: Array<Record<string, unknown>> = [];
  const stateDir = fs.mkdtempSync(path.join(os.tmpdir(), 'rewards-http-'));

  beforeAll(async () => {
    let kafka: Kafka;
    ({ broker, kafka } = await startBroker());
    await createTopics(
      kafka,
      ['purchases', 'customer_transactions', 'rewards', 'gmart-rewards-http-dlq'].map((topic) => ({ topic })),
    );
    service = await bootstrapStreamsService({
      module: RewardsModule,
      config: rewardsConfig,
      redactor: cardNumberRedactor,
      handleSignals: false,
      logDestination: new Writable({
        write(chunk: Buffer, _enc, done) {
          for (const l of chunk.toString().split('\n')) if (l.startsWith('{')) logLines.push(JSON.parse(l));
          done();
        },
      }),
      env: {
        KAFKA_BROKERS: broker.bootstrapServers,
        APPLICATION_ID: 'gmart-rewards-http',
        HTTP_PORT: '0',
        HTTP_HOST: '127.0.0.1',
        LOG_LEVEL: 'info',
        STATE_DIR: stateDir,
      },
    });
    await service.status.waitFor('RUNNING', 60000);
  });
  afterAll(async () => {
    await service?.close();
    await broker?.stop();
    fs.rmSync(stateDir, { recursive: true, force: true });
  });

  it('answers 404 for an unknown customer while RUNNING, logged at info without a stack, and no X-Powered-By', async () => {
    const res = await fetch(`${service!.url}/rewards/4012888888881881?local=true`);
    expect(res.status).toBe(404);
    expect(res.headers.get('x-powered-by')).toBeNull();
    const logged = logLines.find((l) => l.msg === 'client error' && l.status === 404);
    expect(logged).toMatchObject({ level: 'info', method: 'GET' });
    expect(JSON.stringify(logged)).not.toContain('stack');
    // The path quoted in the log line is masked by the card redactor.
    expect(String(logged!.path)).toBe('/rewards/xxxxxxxxxxxx1881');
  });

  it('answers 503 with the state, not 404 or an empty list, once the streams client is not RUNNING', async () => {
    await service!.transport.close();
    expect(service!.status.state).not.toBe('RUNNING');
    for (const url of [
      '/rewards/4012888888881881?local=true',
      '/rewards/4012888888881881',
      '/rewards?top=5',
    ]) {
      const res = await fetch(`${service!.url}${url}`);
      expect(res.status).toBe(503);
      const body = (await res.json()) as { state: string };
      expect(body.state).toBe(service!.status.state);
    }
  });
});
