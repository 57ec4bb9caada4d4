export {
  SASL_MECHANISMS,
  type KafkaConnectionSettings,
  type SaslMechanism,
  type SaslSettings,
  type TlsSettings,
} from './kafka-connection-settings';
export { KafkaConnectionError, type ConnectionProblem } from './connection-problem';
export { KAFKA_CONNECTION_VARIABLES, kafkaConnectionEnvShape } from './kafka-connection-env';
export {
  connectionVariablesOf,
  firstProblemPerVariable,
  kafkaConnectionCrossChecks,
  kafkaConnectionOf,
  parseKafkaConnection,
  type KafkaConnectionEnv,
} from './parse-kafka-connection';
export { readTlsFiles, type TlsFileVariables } from './read-tls-files';
export { toKafkaJsConnection, type KafkaJsConnection, type KafkaJsSasl } from './to-kafkajs-connection';
