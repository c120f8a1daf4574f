import type { ApiDefinition } from '../../api';
import { f } from '../../fields';

/*
 * DescribeGroups Request (Version: 4) => [groups] include_authorized_operations
 * DescribeGroups Response (Version: 4) => throttle_time_ms [groups]
 *   groups => error_code group_id group_state protocol_type protocol_data [members] authorized_operations
 *     members => member_id group_instance_id client_id client_host member_metadata member_assignment
 */
export const describeGroups: ApiDefinition = {
  key: 15,
  name: 'DescribeGroups',
  minVersion: 0,
  maxVersion: 4,
  flexible: 'none',
  request: [f.array('groups', 'string'), f.bool('include_authorized_operations', '3+')],
  response: [
    f.int32('throttle_time_ms', '1+'),
    f.structs('groups', [
      f.int16('error_code'),
      f.string('group_id'),
      f.string('group_state'),
      f.string('protocol_type'),
      f.string('protocol_data'),
      f.structs('members', [
        f.string('member_id'),
        f.nullableString('group_instance_id', '4+'),
        f.string('client_id'),
        f.string('client_host'),
        f.bytes('member_metadata'),
        f.bytes('member_assignment'),
      ]),
      f.int32('authorized_operations', '3+', { default: -2147483648 }),
    ]),
  ],
};
