import { errorCodes } from '../protocol/errors';
import { apis } from '../protocol/requests';
import type { Handler } from './types';

/** Answers from the API table itself, so what is advertised is exactly what is implemented. */
export const handleApiVersions: Handler = () => ({
  error_code: errorCodes.NONE,
  api_keys: [...apis.values()].map((api) => ({
    api_key: api.key,
    min_version: api.minVersion,
    max_version: api.maxVersion,
  })),
});
