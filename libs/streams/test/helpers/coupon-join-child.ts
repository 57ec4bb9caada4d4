/**
 * The seed's coupon program run as a child process by the kill -9 test:
 * `node --conditions=@gmart/source -r @swc-node/register coupon-join-child.ts <brokers> <appId> <stateDir> [commitIntervalMs]`.
 * Purchases (`cj-purchases`, JSON) are branched into coffee and electronics, each re-keyed by
 * customer (two repartition topics) and joined within 20 minutes (grace 1 minute) into
 * `cj-coupons` as `<coffee id>+<electronics id>`; at-least-once, window stores with changelogs.
 * Prints `RUNNING` on each move to RUNNING; closes cleanly on SIGTERM.
 */
import {
  Consumed,
  JoinWindows,
  KafkaStreams,
  KafkaStreamsState,
  Produced,
  Serdes,
  StreamJoined,
  StreamsBuilder,
} from '../../src';
import { runChildStreams } from './child-main';

/** A purchase of the coupon test. */
interface CouponPurchase {
  id: string;
  customerId: string;
  department: string;
}

const [brokers, applicationId, stateDir, commitInterval] = process.argv.slice(2);
const S = Serdes.String();
const P = Serdes.Json<CouponPurchase>();
const b = new StreamsBuilder();
const [coffee, electronics] = b
  .stream('cj-purchases', Consumed.with(S, P))
  .branch(
    (_k, p) => p.department === 'coffee',
    (_k, p) => p.department === 'electronics',
  )
  .map((s) => s.selectKey((_k, p) => p.customerId));
coffee
  .join(
    electronics,
    (c, e) => `${c.id}+${e.id}`,
    JoinWindows.ofTimeDifferenceAndGrace(20 * 60_000, 60_000),
    StreamJoined.with(S, P, P),
  )
  .to('cj-coupons', Produced.with(S, S));
const streams = new KafkaStreams(b.build(), {
  applicationId,
  bootstrapServers: brokers!.split(','),
  commitIntervalMs: Number(commitInterval ?? 500),
  stateDir,
  consumer: { sessionTimeout: 6000, heartbeatInterval: 500, rebalanceTimeout: 10000 },
  logger: { debug() {}, info() {}, warn() {}, error: (m: string) => process.stderr.write(`${m}\n`) },
});
streams.setStateListener((s) => {
  if (s === KafkaStreamsState.RUNNING) process.stdout.write('RUNNING\n');
});
runChildStreams(streams);
