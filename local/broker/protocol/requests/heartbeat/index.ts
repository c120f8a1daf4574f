import type { ApiDefinition } from '../../api';
import { f } from '../../fields';

/*
 * Heartbeat Request (Version: 3) => group_id generation_id member_id group_instance_id
 * Heartbeat Response (Version: 3) => throttle_time_ms error_code
 */
export const heartbeat: ApiDefinition = {
  key: 12,
  name: 'Heartbeat',
  minVersion: 0,
  maxVersion: 3,
  flexible: 'none',
  request: [
    f.string('group_id'),
    f.int32('generation_id'),
    f.string('member_id'),
    f.nullableString('group_instance_id', '3+'),
  ],
  response: [f.int32('throttle_time_ms', '1+'), f.int16('error_code')],
};
