/**
 * OffsetCommit Request (Version: 9) => group_id generation_id_or_member_epoch member_id group_instance_id [topics] TAG_BUFFER
 *   (same as v8; v9 only means the member may belong to a KIP-848 consumer group, which this broker does not run)
 */
export { decode } from '../v8/request';
