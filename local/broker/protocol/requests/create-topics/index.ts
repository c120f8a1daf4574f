import type { ApiDefinition } from '../../api';
import { f } from '../../fields';

/*
 * CreateTopics Request (Version: 4) => [topics] timeout_ms validate_only
 *   topics => name num_partitions replication_factor [assignments] [configs]
 *     assignments => partition_index [broker_ids]
 *     configs => name value
 * CreateTopics Response (Version: 4) => throttle_time_ms [topics]
 *   topics => name error_code error_message
 */
export const createTopics: ApiDefinition = {
  key: 19,
  name: 'CreateTopics',
  minVersion: 0,
  maxVersion: 4,
  flexible: 'none',
  request: [
    f.structs('topics', [
      f.string('name'),
      f.int32('num_partitions'),
      f.int16('replication_factor'),
      f.structs('assignments', [f.int32('partition_index'), f.array('broker_ids', 'int32')]),
      f.structs('configs', [f.string('name'), f.nullableString('value')]),
    ]),
    f.int32('timeout_ms'),
    f.bool('validate_only', '1+'),
  ],
  response: [
    f.int32('throttle_time_ms', '2+'),
    f.structs('topics', [f.string('name'), f.int16('error_code'), f.nullableString('error_message', '1+')]),
  ],
};
