import type { ApiDefinition } from '../../api';
import { f } from '../../fields';

/*
 * JoinGroup Request (Version: 5) => group_id session_timeout_ms rebalance_timeout_ms member_id group_instance_id
 *     protocol_type [protocols]
 *   protocols => name metadata
 * JoinGroup Response (Version: 5) => throttle_time_ms error_code generation_id protocol_name leader member_id [members]
 *   members => member_id group_instance_id metadata          (filled for the leader only)
 */
export const joinGroup: ApiDefinition = {
  key: 11,
  name: 'JoinGroup',
  minVersion: 0,
  maxVersion: 5,
  flexible: 'none',
  request: [
    f.string('group_id'),
    f.int32('session_timeout_ms'),
    f.int32('rebalance_timeout_ms', '1+', { default: -1 }),
    f.string('member_id'),
    f.nullableString('group_instance_id', '5+'),
    f.string('protocol_type'),
    f.structs('protocols', [f.string('name'), f.bytes('metadata')]),
  ],
  response: [
    f.int32('throttle_time_ms', '2+'),
    f.int16('error_code'),
    f.int32('generation_id', '0+', { default: -1 }),
    f.string('protocol_name'),
    f.string('leader'),
    f.string('member_id'),
    f.structs('members', [f.string('member_id'), f.nullableString('group_instance_id', '5+'), f.bytes('metadata')]),
  ],
};
