import type { ApiDefinition } from '../../api';
import { f } from '../../fields';

/*
 * OffsetCommit Request (Version: 7) => group_id generation_id member_id group_instance_id [topics]
 *   topics => name [partitions]
 *     partitions => partition_index committed_offset committed_leader_epoch committed_metadata
 *   (v2-4 also carry retention_time_ms after member_id)
 * OffsetCommit Response (Version: 7) => throttle_time_ms [topics]
 *   topics => name [partitions]
 *     partitions => partition_index error_code
 */
export const offsetCommit: ApiDefinition = {
  key: 8,
  name: 'OffsetCommit',
  minVersion: 2,
  maxVersion: 7,
  flexible: 'none',
  request: [
    f.string('group_id'),
    f.int32('generation_id', '1+', { default: -1 }),
    f.string('member_id', '1+'),
    f.nullableString('group_instance_id', '7+'),
    f.int64('retention_time_ms', '2-4', { default: -1n }),
    f.structs('topics', [
      f.string('name'),
      f.structs('partitions', [
        f.int32('partition_index'),
        f.int64('committed_offset'),
        f.int32('committed_leader_epoch', '6+', { default: -1 }),
        f.nullableString('committed_metadata'),
      ]),
    ]),
  ],
  response: [
    f.int32('throttle_time_ms', '3+'),
    f.structs('topics', [
      f.string('name'),
      f.structs('partitions', [f.int32('partition_index'), f.int16('error_code')]),
    ]),
  ],
};
