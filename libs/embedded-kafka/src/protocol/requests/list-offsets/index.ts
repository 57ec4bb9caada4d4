import { defineApi } from '../../api-definition';
import { ErrorCode } from '../../error-codes';
import { authorize } from '../../authorize';
import type { RequestContext } from '../../request-context';
import type { ListOffsetsPartitionResponse, ListOffsetsRequest, ListOffsetsResponse } from './types';
import * as v0q from './v0/request';
import * as v0r from './v0/response';
import * as v1q from './v1/request';
import * as v1r from './v1/response';
import * as v2q from './v2/request';
import * as v2r from './v2/response';
import * as v3q from './v3/request';
import * as v3r from './v3/response';
import * as v4q from './v4/request';
import * as v4r from './v4/response';
import * as v5q from './v5/request';
import * as v5r from './v5/response';
import * as v6q from './v6/request';
import * as v6r from './v6/response';
import * as v7q from './v7/request';
import * as v7r from './v7/response';
import * as v8q from './v8/request';
import * as v8r from './v8/response';
import * as v9q from './v9/request';
import * as v9r from './v9/response';

const LATEST = -1;
const EARLIEST = -2;
/** v7+ (KIP-734): the record with the largest timestamp. */
const MAX_TIMESTAMP = -3;
/** v8+ (KIP-405): the first offset on local storage; nothing is tiered here, so the log start. */
const EARLIEST_LOCAL = -4;
/** v9+ (KIP-1005): the last tiered offset; nothing is tiered here, so none (-1). */
const LATEST_TIERED = -5;

function handle(req: ListOffsetsRequest, ctx: RequestContext): ListOffsetsResponse {
  const { logs } = ctx.services;
  const topics = req.topics.map((t) => {
    // As Kafka: DESCRIBE on the topic, else TOPIC_AUTHORIZATION_FAILED per partition.
    const describable = authorize(ctx, 'Describe', 'Topic', t.name);
    return {
      name: t.name,
      partitions: t.partitions.map((p): ListOffsetsPartitionResponse => {
        const out = {
          partitionIndex: p.partitionIndex,
          errorCode: 0,
          oldStyleOffsets: [] as number[],
          timestamp: -1,
          offset: -1,
          leaderEpoch: -1,
        };
        if (!describable) return { ...out, errorCode: ErrorCode.TOPIC_AUTHORIZATION_FAILED };
        const log = logs.partition(t.name, p.partitionIndex);
        if (!log) return { ...out, errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION };
        const end = req.isolationLevel === 1 ? log.lastStableOffset : log.highWatermark;
        let offset: number;
        let timestamp = -1;
        if (p.timestamp === LATEST) offset = end;
        else if (p.timestamp === EARLIEST || p.timestamp === EARLIEST_LOCAL) offset = log.logStartOffset;
        else if (p.timestamp === LATEST_TIERED) offset = -1;
        else if (p.timestamp === MAX_TIMESTAMP) {
          const found = log.offsetOfMaxTimestamp();
          offset = found.offset >= end ? -1 : found.offset;
          timestamp = offset < 0 ? -1 : found.timestamp;
        } else {
          const found = log.offsetForTimestamp(p.timestamp);
          offset = found.offset;
          timestamp = found.timestamp;
          if (offset >= end) offset = -1;
        }
        if (ctx.apiVersion === 0) {
          // v0: up to max_num_offsets offsets, newest first; latest also lists the log start.
          const list =
            offset < 0
              ? []
              : p.timestamp === LATEST && offset !== log.logStartOffset
                ? [offset, log.logStartOffset]
                : [offset];
          return { ...out, oldStyleOffsets: list.slice(0, Math.max(0, p.maxNumOffsets)) };
        }
        return { ...out, offset, timestamp, leaderEpoch: offset < 0 ? -1 : 0 };
      }),
    };
  });
  return { throttleTimeMs: 0, topics };
}

/**
 * ListOffsets (key 2), versions 0-9 (6+ flexible): earliest (-2), latest (-1),
 * by timestamp, max timestamp (-3, v7+), earliest local (-4, v8+: the log
 * start) and latest tiered (-5, v9+: -1, nothing is tiered).
 */
export const listOffsetsApi = defineApi<ListOffsetsRequest, ListOffsetsResponse>({
  apiKey: 2,
  name: 'ListOffsets',
  flexibleFromVersion: 6,
  versions: [
    { decode: v0q.decode, encode: v0r.encode },
    { decode: v1q.decode, encode: v1r.encode },
    { decode: v2q.decode, encode: v2r.encode },
    { decode: v3q.decode, encode: v3r.encode },
    { decode: v4q.decode, encode: v4r.encode },
    { decode: v5q.decode, encode: v5r.encode },
    { decode: v6q.decode, encode: v6r.encode },
    { decode: v7q.decode, encode: v7r.encode },
    { decode: v8q.decode, encode: v8r.encode },
    { decode: v9q.decode, encode: v9r.encode },
  ],
  handle,
});
