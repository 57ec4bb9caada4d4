/** Header set on a record the sink refused (see the `refuse` option): the reason, never the content. */
export const REFUSED_REASON_HEADER = 'mongodb.sink.refused.reason';
