import type { ApiDefinition } from '../../api';
import { f } from '../../fields';

/*
 * Fetch Request (Version: 11) => replica_id max_wait_ms min_bytes max_bytes isolation_level session_id session_epoch
 *     [topics] [forgotten_topics_data] rack_id
 *   topics => topic [partitions]
 *     partitions => partition current_leader_epoch fetch_offset log_start_offset partition_max_bytes
 *   forgotten_topics_data => topic [partitions]
 * Fetch Response (Version: 11) => throttle_time_ms error_code session_id [responses]
 *   responses => topic [partitions]
 *     partitions => partition_index error_code high_watermark last_stable_offset log_start_offset
 *       [aborted_transactions] preferred_read_replica records
 * Incremental fetch sessions are not offered: session_id 0 in every answer means "full fetches".
 */
export const fetch: ApiDefinition = {
  key: 1,
  name: 'Fetch',
  minVersion: 4,
  maxVersion: 11,
  flexible: 'none',
  request: [
    f.int32('replica_id'),
    f.int32('max_wait_ms'),
    f.int32('min_bytes'),
    f.int32('max_bytes', '3+', { default: 0x7fffffff }),
    f.int8('isolation_level', '4+'),
    f.int32('session_id', '7+'),
    f.int32('session_epoch', '7+', { default: -1 }),
    f.structs('topics', [
      f.string('topic'),
      f.structs('partitions', [
        f.int32('partition'),
        f.int32('current_leader_epoch', '9+', { default: -1 }),
        f.int64('fetch_offset'),
        f.int64('log_start_offset', '5+', { default: -1n }),
        f.int32('partition_max_bytes'),
      ]),
    ]),
    f.structs('forgotten_topics_data', [f.string('topic'), f.array('partitions', 'int32')], '7+'),
    f.string('rack_id', '11+'),
  ],
  response: [
    f.int32('throttle_time_ms', '1+'),
    f.int16('error_code', '7+'),
    f.int32('session_id', '7+'),
    f.structs('responses', [
      f.string('topic'),
      f.structs('partitions', [
        f.int32('partition_index'),
        f.int16('error_code'),
        f.int64('high_watermark'),
        f.int64('last_stable_offset', '4+'),
        f.int64('log_start_offset', '5+'),
        f.structs('aborted_transactions', [f.int64('producer_id'), f.int64('first_offset')], '4+', '4+'),
        f.int32('preferred_read_replica', '11+', { default: -1 }),
        f.records('records'),
      ]),
    ]),
  ],
};
