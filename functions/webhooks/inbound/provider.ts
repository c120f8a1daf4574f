import type { IncomingHttpHeaders } from 'node:http';

/** What a chain-notification provider's call says, once its signature is verified. */
export interface InboundCall {
  /** The provider's id of the call: a second call with it is a replay. */
  id: string;
  sentAt: Date;
  /** null when the provider names a network we do not know. */
  chainId: number | null;
  addresses: string[];
  blockNumber: number | undefined;
}

/**
 * A provider of address-activity webhooks: the variable holding its signing secret, and how a call is
 * verified and read (throwing a 401 ProblemError for a bad signature). One file each under providers/.
 */
export interface Provider {
  secretVariable: string;
  verify(rawBody: Buffer, headers: IncomingHttpHeaders, secret: string): InboundCall;
}
