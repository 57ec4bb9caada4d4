/**
 * Test-only helpers shared by every package's tests: start the embedded broker and MongoDB, wait
 * for ports, conditions and consumer groups, write and read topics. See README.md.
 */
export { retryOnAddressInUse, isAddressInUse, type AddressInUseRetry } from './address-in-use';
export {
  startBroker,
  useBroker,
  TEST_GROUP_SETTINGS,
  type TestBroker,
  type TestBrokerOptions,
} from './embedded-broker';
export { startMongo } from './embedded-mongo';
export { createTopics, produce, type TopicSpec, type ProducedRecord } from './topics';
export { consume, distinctValues, type Consumed } from './consume';
export { readCommitted } from './read-committed';
export {
  committedOffsets,
  committedOffset,
  describeGroup,
  waitForGroup,
  type GroupView,
} from './consumer-groups';
export { waitFor, waitForValue, waitForPort, canConnect, sleep } from './wait-for';
export { transactionalProducer, sendOffset, OUTSIDE_GROUP, type GroupMember } from './transactions';
export { ChildApp, killChildApps, withChildLogs, type ChildAppOptions } from './child-app';
export { tempDir, removeTempDirs } from './temp-dirs';
export { silentLogger } from './silent-logger';
export {
  startSecuredBroker,
  aclBlockOf,
  type SecuredBroker,
  type SecuredBrokerOptions,
  type ScramMechanism,
} from './secured-broker';
export { expectRefusedAtStart, type Started } from './refused-at-start';
export { captureOutput, type OutputCapture } from './output-capture';
export {
  describeServiceUnderAcls,
  recordsAfter,
  type ProcessingGuarantee,
  type ServiceBootstrapOptions,
  type ServiceUnderAcls,
} from './service-under-acls';
export { seededRandom } from './seeded-random';
