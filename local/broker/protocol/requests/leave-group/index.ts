import type { ApiDefinition } from '../../api';
import { f } from '../../fields';

/*
 * LeaveGroup Request (Version: 3) => group_id [members]          (v0-2: group_id member_id)
 *   members => member_id group_instance_id
 * LeaveGroup Response (Version: 3) => throttle_time_ms error_code [members]
 *   members => member_id group_instance_id error_code
 */
export const leaveGroup: ApiDefinition = {
  key: 13,
  name: 'LeaveGroup',
  minVersion: 0,
  maxVersion: 3,
  flexible: 'none',
  request: [
    f.string('group_id'),
    f.string('member_id', '0-2'),
    f.structs('members', [f.string('member_id'), f.nullableString('group_instance_id')], '3+'),
  ],
  response: [
    f.int32('throttle_time_ms', '1+'),
    f.int16('error_code'),
    f.structs('members', [f.string('member_id'), f.nullableString('group_instance_id'), f.int16('error_code')], '3+'),
  ],
};
