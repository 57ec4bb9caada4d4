/**
 * `@gmart/embedded-kafka/process`: the broker as a child process through its CLI, for tests and
 * benchmarks that want it out of their own event loop (or want to `kill -9` it).
 */
export {
  BROKER_MALLOC_TUNABLE,
  BROKER_NODE_FLAGS,
  brokerProcessEnv,
  spawnBrokerProcess,
  type BrokerProcess,
  type BrokerProcessOptions,
} from './broker-process';
