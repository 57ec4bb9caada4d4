import { defineApi } from '../../api-definition';
import { ErrorCode } from '../../error-codes';
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

const LATEST = -1;
const EARLIEST = -2;

function handle(req: ListOffsetsRequest, ctx: RequestContext): ListOffsetsResponse {
  const { logs } = ctx.services;
  const topics = req.topics.map((t) => ({
    name: t.name,
    partitions: t.partitions.map((p): ListOffsetsPartitionResponse => {
      const out = {
        partitionIndex: p.partitionIndex,
        errorCode: 0,
        oldStyleOffsets: [] as number[],
        timestamp: -1,
        offset: -1,
      };
      const log = logs.partition(t.name, p.partitionIndex);
      if (!log) return { ...out, errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION };
      const end = req.isolationLevel === 1 ? log.lastStableOffset : log.highWatermark;
      let offset: number;
      let timestamp = -1;
      if (p.timestamp === LATEST) offset = end;
      else if (p.timestamp === EARLIEST) offset = log.logStartOffset;
      else {
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
      return { ...out, offset, timestamp };
    }),
  }));
  return { throttleTimeMs: 0, topics };
}

/** ListOffsets (key 2), versions 0-3: earliest (-2), latest (-1) and by timestamp. */
export const listOffsetsApi = defineApi<ListOffsetsRequest, ListOffsetsResponse>({
  apiKey: 2,
  name: 'ListOffsets',
  versions: [
    { decode: v0q.decode, encode: v0r.encode },
    { decode: v1q.decode, encode: v1r.encode },
    { decode: v2q.decode, encode: v2r.encode },
    { decode: v3q.decode, encode: v3r.encode },
  ],
  handle,
});
