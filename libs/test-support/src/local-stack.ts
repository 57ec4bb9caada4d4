/**
 * The local G-Mart stack (`scripts/local-stack`, also behind `npm start` and the pipeline benchmark)
 * for end-to-end tests: every service as its own process against an embedded broker, and reading
 * topics back up to their high watermarks. Tests import it from here, not by a relative path.
 */
export {
  LocalStack,
  type LocalStackOptions,
  ServiceProcess,
  availableServices,
  serviceNamed,
  REPO_ROOT,
  TS_NODE_ARGS,
  parsePrometheusText,
  sumOf,
  readTopic,
  waitForRecords,
  endOffsetSum,
  type ReadRecord,
  scanForCardNumbers,
  type CardNumberFinding,
  LiveView,
  renderFrame,
  type LiveFrame,
} from '../../../scripts/local-stack';
