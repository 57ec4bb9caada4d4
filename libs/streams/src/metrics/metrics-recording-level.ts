/**
 * Kafka Streams' `metrics.recording.level`: `INFO` records client, thread and task-level metrics;
 * `DEBUG` adds the per-operation state store latencies; `TRACE` adds nothing more here.
 */
export const METRICS_RECORDING_LEVELS = ['INFO', 'DEBUG', 'TRACE'] as const;

/** One of {@link METRICS_RECORDING_LEVELS}. */
export type MetricsRecordingLevel = (typeof METRICS_RECORDING_LEVELS)[number];

/** True when metrics of `metricLevel` are recorded at the configured `level`. */
export function recordsAt(level: MetricsRecordingLevel, metricLevel: MetricsRecordingLevel): boolean {
  return METRICS_RECORDING_LEVELS.indexOf(level) >= METRICS_RECORDING_LEVELS.indexOf(metricLevel);
}
