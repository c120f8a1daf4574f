import type { ApiDefinition } from '../../api';
import { f } from '../../fields';

/*
 * OffsetFetch Request (Version: 5) => group_id [topics]          (null topics, v2+: every committed partition)
 *   topics => name [partition_indexes]
 * OffsetFetch Response (Version: 5) => throttle_time_ms [topics] error_code
 *   topics => name [partitions]
 *     partitions => partition_index committed_offset committed_leader_epoch metadata error_code
 */
export const offsetFetch: ApiDefinition = {
  key: 9,
  name: 'OffsetFetch',
  minVersion: 1,
  maxVersion: 5,
  flexible: 'none',
  request: [
    f.string('group_id'),
    f.structs('topics', [f.string('name'), f.array('partition_indexes', 'int32')], '0+', '2+'),
  ],
  response: [
    f.int32('throttle_time_ms', '3+'),
    f.structs('topics', [
      f.string('name'),
      f.structs('partitions', [
        f.int32('partition_index'),
        f.int64('committed_offset'),
        f.int32('committed_leader_epoch', '5+', { default: -1 }),
        f.nullableString('metadata'),
        f.int16('error_code'),
      ]),
    ]),
    f.int16('error_code', '2+'),
  ],
};
