import type { ApiDefinition } from '../../api';
import { f } from '../../fields';

/*
 * ListGroups Request (Version: 2) =>
 * ListGroups Response (Version: 2) => throttle_time_ms error_code [groups]
 *   groups => group_id protocol_type
 */
export const listGroups: ApiDefinition = {
  key: 16,
  name: 'ListGroups',
  minVersion: 0,
  maxVersion: 2,
  flexible: 'none',
  request: [],
  response: [
    f.int32('throttle_time_ms', '1+'),
    f.int16('error_code'),
    f.structs('groups', [f.string('group_id'), f.string('protocol_type')]),
  ],
};
