import { Decoder } from './decoder';
import { Encoder } from './encoder';

export interface RequestHeader {
  apiKey: number;
  apiVersion: number;
  correlationId: number;
  clientId: string | null;
}

/**
 * Request header v1 (api_key, api_version, correlation_id, client_id) and v2 (the same plus tagged
 * fields) for flexible request versions. client_id stays a classic nullable string even in v2.
 * The api key, version and correlation id are read first so an unknown API can still be answered.
 */
export function readRequestHeaderStart(
  decoder: Decoder,
): Pick<RequestHeader, 'apiKey' | 'apiVersion' | 'correlationId'> {
  return { apiKey: decoder.int16(), apiVersion: decoder.int16(), correlationId: decoder.int32() };
}

export function readRequestHeaderRest(decoder: Decoder, flexible: boolean): string | null {
  const clientId = decoder.string();
  if (flexible) decoder.skipTaggedFields();
  return clientId;
}

/** Response header v0 (correlation_id) or v1 (plus tagged fields), framed with its size prefix. */
export function frameResponse(correlationId: number, headerV1: boolean, body: Buffer): Buffer {
  const header = new Encoder(8).int32(correlationId);
  if (headerV1) header.unsignedVarint(0);
  const head = header.toBuffer();
  return Buffer.concat([new Encoder(4).int32(head.length + body.length).toBuffer(), head, body]);
}
