/**
 * The local G-Mart stack used by `npm start`, `npm run bench:pipeline` and the end-to-end tests:
 * embedded broker (or `KAFKA_BROKERS`), topics from `deploy/topics.yaml`, every service as its own
 * process.
 */
export { REPO_ROOT, TS_NODE_ARGS } from './repo-root';
export { availableServices, serviceNamed, type ServiceDefinition } from './service-definitions';
export { ServiceProcess, type ServiceProcessOptions } from './service-process';
export { LocalStack, type LocalStackOptions } from './local-stack';
export { parsePrometheusText, sumOf, type Sample } from './prometheus-text';
export { endOffsetSum, readTopic, waitForRecords, type ReadRecord } from './topic-reader';
export { scanForCardNumbers, type CardNumberFinding } from '@gmart/gmart';
export { LiveView, renderFrame, type LiveFrame, type ServiceFigures } from './live-view';
