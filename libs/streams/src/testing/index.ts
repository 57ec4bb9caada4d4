/** `@gmart/streams/testing`: run topologies without a broker. */
export { TopologyTestDriver, TestDriverConfig } from './topology-test-driver';
export { TestInputTopic } from './test-input-topic';
export { TestOutputTopic } from './test-output-topic';
export { TestRecord } from './test-record';
