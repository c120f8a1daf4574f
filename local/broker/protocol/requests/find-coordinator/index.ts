import type { ApiDefinition } from '../../api';
import { f } from '../../fields';

/*
 * FindCoordinator Request (Version: 2) => key key_type
 * FindCoordinator Response (Version: 2) => throttle_time_ms error_code error_message node_id host port
 */
export const findCoordinator: ApiDefinition = {
  key: 10,
  name: 'FindCoordinator',
  minVersion: 0,
  maxVersion: 2,
  flexible: 'none',
  request: [f.string('key'), f.int8('key_type', '1+')],
  response: [
    f.int32('throttle_time_ms', '1+'),
    f.int16('error_code'),
    f.nullableString('error_message', '1+'),
    f.int32('node_id'),
    f.string('host'),
    f.int32('port'),
  ],
};
