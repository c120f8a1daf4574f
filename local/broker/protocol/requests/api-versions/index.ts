import type { ApiDefinition } from '../../api';
import { f } from '../../fields';

/*
 * ApiVersions Request (Version: 3) => client_software_name client_software_version TAG_BUFFER
 * ApiVersions Response (Version: 3) => error_code [api_keys] throttle_time_ms TAG_BUFFER
 *   api_keys => api_key min_version max_version TAG_BUFFER
 * Its response header is always v0, even in flexible versions; an unsupported version is answered
 * with UNSUPPORTED_VERSION in a v0 body (server.ts).
 */
export const apiVersions: ApiDefinition = {
  key: 18,
  name: 'ApiVersions',
  minVersion: 0,
  maxVersion: 3,
  flexible: '3+',
  request: [f.string('client_software_name', '3+'), f.string('client_software_version', '3+')],
  response: [
    f.int16('error_code'),
    f.structs('api_keys', [f.int16('api_key'), f.int16('min_version'), f.int16('max_version')]),
    f.int32('throttle_time_ms', '1+'),
  ],
};
