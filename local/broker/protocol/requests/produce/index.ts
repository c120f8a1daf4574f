import type { ApiDefinition } from '../../api';
import { f } from '../../fields';

/*
 * Produce Request (Version: 7) => transactional_id acks timeout_ms [topic_data]
 *   topic_data => name [partition_data]
 *     partition_data => index records            (records: record batches v2, hence v3 at least)
 * Produce Response (Version: 7) => [responses] throttle_time_ms
 *   responses => name [partition_responses]
 *     partition_responses => index error_code base_offset log_append_time_ms log_start_offset
 */
export const produce: ApiDefinition = {
  key: 0,
  name: 'Produce',
  minVersion: 3,
  maxVersion: 7,
  flexible: 'none',
  request: [
    f.nullableString('transactional_id', '3+'),
    f.int16('acks'),
    f.int32('timeout_ms'),
    f.structs('topic_data', [f.string('name'), f.structs('partition_data', [f.int32('index'), f.records('records')])]),
  ],
  response: [
    f.structs('responses', [
      f.string('name'),
      f.structs('partition_responses', [
        f.int32('index'),
        f.int16('error_code'),
        f.int64('base_offset'),
        f.int64('log_append_time_ms', '2+', { default: -1n }),
        f.int64('log_start_offset', '5+'),
      ]),
    ]),
    f.int32('throttle_time_ms', '1+'),
  ],
};
