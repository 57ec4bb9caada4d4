/**
 * A streams app run as a child process by the crash test:
 * `node --conditions=@gmart/source -r @swc-node/register app-child.ts <brokers> <appId> <in> <out>`.
 * Prints "STARTED" once start() resolved; closes on SIGTERM.
 */
import { Consumed, KafkaStreams, Produced, Serdes, StreamsBuilder } from '../../src';

const [brokers, applicationId, input, output] = process.argv.slice(2);
const S = Serdes.String();
const builder = new StreamsBuilder();
builder
  .stream(input, Consumed.with(S, S))
  .mapValues((v) => `${v}:done`)
  .to(output, Produced.with(S, S));
const streams = new KafkaStreams(builder.build(), {
  applicationId,
  bootstrapServers: brokers.split(','),
  commitIntervalMs: 500,
  consumer: { sessionTimeout: 10000, heartbeatInterval: 1000 },
  logger: { debug() {}, info() {}, warn() {}, error: (m: string) => process.stderr.write(`${m}\n`) },
});
streams
  .start()
  .then(() => process.stdout.write('STARTED\n'))
  .catch((e) => {
    process.stderr.write(`start failed: ${e}\n`);
    process.exit(1);
  });
process.on('SIGTERM', () => {
  void streams.close({ timeoutMs: 10000 }).then(() => process.exit(0));
});
