import type { Message } from '../protocol/schema';
import type { BrokerState } from '../state';

export interface RequestContext {
  state: BrokerState;
  version: number;
  clientId: string | null;
  clientHost: string;
}

/** Takes a decoded request, returns the response object; never sees bytes on the wire. */
export type Handler = (request: Message, context: RequestContext) => Message | Promise<Message>;
