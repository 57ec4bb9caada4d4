import { defineApi } from '../../api-definition';
import { ErrorCode } from '../../error-codes';
import { authorize } from '../../authorize';
import type { RequestContext } from '../../request-context';
import type { DeleteRecordsRequest, DeleteRecordsResponse } from './types';
import * as v0q from './v0/request';
import * as v0r from './v0/response';
import * as v1q from './v1/request';
import * as v1r from './v1/response';
import * as v2q from './v2/request';
import * as v2r from './v2/response';

function handle(req: DeleteRecordsRequest, ctx: RequestContext): DeleteRecordsResponse {
  const topics = req.topics.map((t) => {
    // As Kafka: DELETE on the topic, else TOPIC_AUTHORIZATION_FAILED per partition.
    const deletable = authorize(ctx, 'Delete', 'Topic', t.name);
    return {
      name: t.name,
      partitions: t.partitions.map((p) => {
        if (!deletable)
          return {
            partitionIndex: p.partitionIndex,
            lowWatermark: -1,
            errorCode: ErrorCode.TOPIC_AUTHORIZATION_FAILED,
          };
        const log = ctx.services.logs.partition(t.name, p.partitionIndex);
        if (!log)
          return {
            partitionIndex: p.partitionIndex,
            lowWatermark: -1,
            errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION,
          };
        const r = log.deleteRecordsBefore(p.offset);
        return { partitionIndex: p.partitionIndex, lowWatermark: r.lowWatermark, errorCode: r.errorCode };
      }),
    };
  });
  return { throttleTimeMs: 0, topics };
}

/** DeleteRecords (key 21), versions 0-2 (2 flexible): moves the log start offset (offset -1 = high watermark). */
export const deleteRecordsApi = defineApi<DeleteRecordsRequest, DeleteRecordsResponse>({
  apiKey: 21,
  name: 'DeleteRecords',
  flexibleFromVersion: 2,
  versions: [
    { decode: v0q.decode, encode: v0r.encode },
    { decode: v1q.decode, encode: v1r.encode },
    { decode: v2q.decode, encode: v2r.encode },
  ],
  handle,
});
