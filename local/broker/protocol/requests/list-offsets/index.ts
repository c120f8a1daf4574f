import type { ApiDefinition } from '../../api';
import { f } from '../../fields';

/*
 * ListOffsets Request (Version: 5) => replica_id isolation_level [topics]
 *   topics => name [partitions]
 *     partitions => partition_index current_leader_epoch timestamp     (-2 earliest, -1 latest, else a time)
 * ListOffsets Response (Version: 5) => throttle_time_ms [topics]
 *   topics => name [partitions]
 *     partitions => partition_index error_code timestamp offset leader_epoch
 */
export const listOffsets: ApiDefinition = {
  key: 2,
  name: 'ListOffsets',
  minVersion: 1,
  maxVersion: 5,
  flexible: 'none',
  request: [
    f.int32('replica_id'),
    f.int8('isolation_level', '2+'),
    f.structs('topics', [
      f.string('name'),
      f.structs('partitions', [
        f.int32('partition_index'),
        f.int32('current_leader_epoch', '4+'),
        f.int64('timestamp'),
      ]),
    ]),
  ],
  response: [
    f.int32('throttle_time_ms', '2+'),
    f.structs('topics', [
      f.string('name'),
      f.structs('partitions', [
        f.int32('partition_index'),
        f.int16('error_code'),
        f.int64('timestamp', '1+', { default: -1n }),
        f.int64('offset', '1+', { default: -1n }),
        f.int32('leader_epoch', '4+'),
      ]),
    ]),
  ],
};
