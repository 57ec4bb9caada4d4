export { EmbeddedKafka } from './broker/embedded-kafka';
export type { EmbeddedKafkaOptions, FsyncPolicy } from './broker/broker-config';
export { BrokerConfig, DEFAULT_READ_CACHE_BUDGET_BYTES } from './broker/broker-config';
export type { BrokerExtension, BrokerExtensionFactory } from './broker/broker-extension';
export type {
  BrokerServices,
  BrokerNode,
  BrokerLogger,
  Clock,
  BrokerMetricsHook,
} from './broker/broker-services';
export {
  KafkaBrokerError,
  MalformedRequestError,
  InvalidConfigError,
  KafkaProtocolError,
} from './errors/kafka-broker-error';
export { ErrorCode } from './protocol/error-codes';
export {
  BROKER_SASL_MECHANISMS,
  type BrokerSaslMechanism,
  type ListenerSaslOptions,
  type ListenerTlsOptions,
  type SecurityProtocol,
} from './security/security-options';
export {
  ACL_OPERATIONS,
  ACL_RESOURCE_TYPES,
  AclRuleError,
  parseAclRule,
  parseAclText,
  formatAclRule,
  type AclRule,
  type AclOperation,
  type AclResourceType,
} from './security/acl/acl-rule';
export type { AclOptions } from './security/acl/authorizer';
