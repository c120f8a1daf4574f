import type { ApiDefinition } from '../../api';
import { f } from '../../fields';

/*
 * SyncGroup Request (Version: 3) => group_id generation_id member_id group_instance_id [assignments]
 *   assignments => member_id assignment                   (sent by the leader only)
 * SyncGroup Response (Version: 3) => throttle_time_ms error_code assignment
 */
export const syncGroup: ApiDefinition = {
  key: 14,
  name: 'SyncGroup',
  minVersion: 0,
  maxVersion: 3,
  flexible: 'none',
  request: [
    f.string('group_id'),
    f.int32('generation_id'),
    f.string('member_id'),
    f.nullableString('group_instance_id', '3+'),
    f.structs('assignments', [f.string('member_id'), f.bytes('assignment')]),
  ],
  response: [f.int32('throttle_time_ms', '1+'), f.int16('error_code'), f.bytes('assignment')],
};
