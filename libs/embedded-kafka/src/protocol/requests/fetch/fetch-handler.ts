import { fetchWaitersFor } from '../../../broker/fetch-waiters';
import type { PartitionLog } from '../../../log/partition-log';
import { ErrorCode } from '../../error-codes';
import { authorize } from '../../authorize';
import type { RequestContext } from '../../request-context';
import type { FetchPartitionResponse, FetchRequest, FetchResponse } from './types';

const READ_COMMITTED = 1;

interface Built {
  response: FetchResponse;
  bytes: number;
  anyError: boolean;
  logs: PartitionLog[];
}

function build(req: FetchRequest, ctx: RequestContext): Built {
  const { logs } = ctx.services;
  let remaining = Math.max(0, req.maxBytes);
  let bytes = 0;
  let anyError = false;
  const used: PartitionLog[] = [];
  const responses = req.topics.map((t) => {
    // v13+: topics are named by id; an unknown id answers UNKNOWN_TOPIC_ID per partition.
    const name = t.topicId !== null ? logs.topicById(t.topicId)?.name : t.topic;
    // As Kafka: READ on the topic (an unknown topic id stays UNKNOWN_TOPIC_ID), else TOPIC_AUTHORIZATION_FAILED for each of its partitions.
    const readable = name === undefined || authorize(ctx, 'Read', 'Topic', name);
    return {
      topic: name ?? t.topic,
      topicId: t.topicId,
      partitions: t.partitions.map((p): FetchPartitionResponse => {
        const log = name === undefined ? undefined : logs.partition(name, p.partition);
        const out: FetchPartitionResponse = {
          partitionIndex: p.partition,
          errorCode: 0,
          highWatermark: -1,
          lastStableOffset: -1,
          logStartOffset: -1,
          abortedTransactions: null,
          preferredReadReplica: -1,
          records: [],
          recordBytes: 0,
        };
        if (!readable) {
          anyError = true;
          out.errorCode = ErrorCode.TOPIC_AUTHORIZATION_FAILED;
          return out;
        }
        if (!log) {
          anyError = true;
          out.errorCode =
            name === undefined ? ErrorCode.UNKNOWN_TOPIC_ID : ErrorCode.UNKNOWN_TOPIC_OR_PARTITION;
          return out;
        }
        used.push(log);
        out.highWatermark = log.highWatermark;
        out.lastStableOffset = log.lastStableOffset;
        out.logStartOffset = log.logStartOffset;
        const committed = req.isolationLevel === READ_COMMITTED;
        if (p.fetchOffset < log.logStartOffset || p.fetchOffset > log.logEndOffset) {
          anyError = true;
          out.errorCode = ErrorCode.OFFSET_OUT_OF_RANGE;
          return out;
        }
        // KIP-74: the first non-empty partition may exceed the limits by one batch.
        const limit = Math.min(p.partitionMaxBytes, bytes === 0 ? Math.max(remaining, 1) : remaining);
        if (limit <= 0 && bytes > 0) return out;
        const upTo = committed ? log.lastStableOffset : log.highWatermark;
        const read = log.read(p.fetchOffset, Math.max(limit, 1), upTo, bytes === 0);
        // read_committed: the aborted transactions the returned batches may hold (clients drop their records).
        if (committed) out.abortedTransactions = log.abortedTransactions(p.fetchOffset, upTo);
        out.records = read.chunks;
        out.recordBytes = read.bytes;
        bytes += read.bytes;
        remaining -= read.bytes;
        return out;
      }),
    };
  });
  return {
    response: { throttleTimeMs: 0, errorCode: 0, sessionId: 0, responses },
    bytes,
    anyError,
    logs: used,
  };
}

/**
 * Fetch handler: answers at once when `minBytes` are available (or on any
 * partition error), otherwise waits for appends until `maxWaitMs` (or until
 * another request arrives on the same connection, so it is not held back). Records are
 * sent as the stored batches, never re-encoded; `isolationLevel` READ_COMMITTED
 * reads up to the last stable offset and lists the aborted transactions in range.
 * A READ_COMMITTED wait, as Kafka's `DelayedFetch`, counts only what lies below the
 * last stable offset: appends inside a transaction still open wake it not, the
 * marker that ends the transaction does.
 */
export function handleFetch(req: FetchRequest, ctx: RequestContext): FetchResponse | Promise<FetchResponse> {
  const first = build(req, ctx);
  if (first.bytes >= req.minBytes || req.maxWaitMs <= 0 || first.anyError || first.logs.length === 0)
    return first.response;
  // Only these outlive the first build while waiting (not its response, rebuilt when the wait ends):
  // a wait can last seconds, long enough to move what it holds into V8's old generation.
  return waitForBytes(req, ctx, first.bytes, first.logs);
}

/** Waits until `logs` grew by enough for `minBytes` (or the wait ends), then builds the response again. */
function waitForBytes(
  req: FetchRequest,
  ctx: RequestContext,
  firstBytes: number,
  logs: PartitionLog[],
): Promise<FetchResponse> {
  const startSizes = logs.map((l) => l.sizeInBytes);
  const committed = req.isolationLevel === READ_COMMITTED;
  const stable = committed ? logs.map((l) => l.lastStableOffset) : [];
  return new Promise<FetchResponse>((resolve, reject) => {
    const unsubscribe: (() => void)[] = [];
    let finished = false;
    const finish = (built?: Built) => {
      if (finished) return;
      finished = true;
      clearTimeout(timer);
      for (const u of unsubscribe) u();
      // Runs from timers and append callbacks: a failure must reach the connection, not crash the broker.
      try {
        resolve((built ?? build(req, ctx)).response);
      } catch (err) {
        reject(err);
      }
    };
    const timer = setTimeout(finish, req.maxWaitMs);
    const onAppend = () => {
      if (committed) {
        // Only a last stable offset that moved can make records readable: then count them.
        let moved = false;
        for (let i = 0; i < logs.length; i++) {
          const lso = logs[i]!.lastStableOffset;
          if (lso !== stable[i]) {
            stable[i] = lso;
            moved = true;
          }
        }
        if (!moved) return;
        try {
          const now = build(req, ctx);
          if (now.bytes >= req.minBytes || now.anyError) finish(now);
        } catch {
          finish();
        }
        return;
      }
      let grown = firstBytes;
      for (let i = 0; i < logs.length; i++) grown += Math.max(0, logs[i]!.sizeInBytes - startSizes[i]!);
      if (grown >= req.minBytes) finish();
    };
    for (let i = 0; i < logs.length; i++)
      if (logs.indexOf(logs[i]!) === i) unsubscribe.push(logs[i]!.onAppend(onAppend));
    unsubscribe.push(fetchWaitersFor(ctx.services).add(finish));
    ctx.onQueuedBehind(finish);
  });
}
