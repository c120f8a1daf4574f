import { errorCodes } from '../protocol/errors';
import type { Handler } from './types';

/** A single broker coordinates every group (and transaction id). */
export const handleFindCoordinator: Handler = (_request, { state }) => ({
  error_code: errorCodes.NONE,
  error_message: null,
  node_id: state.config.nodeId,
  host: state.config.advertisedHost,
  port: state.config.advertisedPort,
});
