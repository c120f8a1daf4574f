import { gunzipSync } from 'node:zlib';
import crc32c from 'crc-32/crc32c';
import { Decoder, DecodeError } from '../protocol/decoder';
import type { ErrorName } from '../protocol/errors';

/*
 * Record batch v2, field by field (offsets in bytes):
 *   0 baseOffset int64 | 8 batchLength int32 (bytes after this field) | 12 partitionLeaderEpoch int32
 *   16 magic int8 (2) | 17 crc uint32 (CRC-32C of byte 21 to the end) | 21 attributes int16
 *      (bits 0-2 compression: 0 none, 1 gzip, 2 snappy, 3 lz4, 4 zstd; bit 3 timestamp type; bit 4 transactional;
 *      bit 5 control)
 *   23 lastOffsetDelta int32 | 27 baseTimestamp int64 | 35 maxTimestamp int64 | 43 producerId int64
 *   51 producerEpoch int16 | 53 baseSequence int32 | 57 recordCount int32 | 61 records (compressed as a whole)
 * Record: length varint | attributes int8 | timestampDelta varlong | offsetDelta varint
 *   | keyLength varint, key | valueLength varint, value | headerCount varint, [keyLength varint, key, valueLength
 * varint, value]
 */
export const BATCH_HEADER_SIZE = 61;
const LOG_OVERHEAD = 12;

export interface BatchInfo {
  /** The whole batch, as stored and as served. */
  bytes: Buffer;
  baseOffset: bigint;
  lastOffsetDelta: number;
  maxTimestamp: bigint;
  recordCount: number;
}

export interface Record_ {
  offsetDelta: number;
  timestamp: bigint;
  key: Buffer | null;
  value: Buffer | null;
  headers: { key: string; value: Buffer | null }[];
}

export class BatchError extends Error {
  constructor(
    readonly errorName: ErrorName,
    message: string,
  ) {
    super(message);
    this.name = 'BatchError';
  }
}

/** Splits a produce request's records into batches, refusing any that is torn, corrupt or undecodable. */
export function readBatches(records: Buffer): BatchInfo[] {
  const batches: BatchInfo[] = [];
  let position = 0;
  while (position < records.length) {
    const batch = readBatchAt(records, position);
    if (batch === null) throw new BatchError('CORRUPT_MESSAGE', 'truncated record batch');
    validateRecords(batch);
    batches.push(batch);
    position += batch.bytes.length;
  }
  return batches;
}

/**
 * The batch that starts at `position`, or null when the bytes end before it does (a torn tail). Throws
 * on a CRC mismatch or an unsupported magic; used on produce and on log recovery.
 */
export function readBatchAt(buffer: Buffer, position: number): BatchInfo | null {
  if (buffer.length - position < BATCH_HEADER_SIZE) return null;
  const batchLength = buffer.readInt32BE(position + 8);
  const size = LOG_OVERHEAD + batchLength;
  if (batchLength < BATCH_HEADER_SIZE - LOG_OVERHEAD)
    throw new BatchError('CORRUPT_MESSAGE', `batch length ${String(batchLength)} too small`);
  if (buffer.length - position < size) return null;
  const bytes = buffer.subarray(position, position + size);
  const magic = bytes.readInt8(16);
  if (magic !== 2)
    throw new BatchError(
      'UNSUPPORTED_FOR_MESSAGE_FORMAT',
      `record batch magic ${String(magic)} (only v2 is supported)`,
    );
  const crc = bytes.readUInt32BE(17);
  if (crc32c.buf(bytes.subarray(21)) >>> 0 !== crc)
    throw new BatchError('CORRUPT_MESSAGE', 'record batch CRC mismatch');
  return {
    bytes,
    baseOffset: bytes.readBigInt64BE(0),
    lastOffsetDelta: bytes.readInt32BE(23),
    maxTimestamp: bytes.readBigInt64BE(35),
    recordCount: bytes.readInt32BE(57),
  };
}

/** A copy of the batch with its base offset set: the CRC does not cover the base offset. */
export function withBaseOffset(bytes: Buffer, baseOffset: bigint): Buffer {
  const copy = Buffer.from(bytes);
  copy.writeBigInt64BE(baseOffset, 0);
  return copy;
}

export function compressionOf(bytes: Buffer): number {
  return bytes.readInt16BE(21) & 0x7;
}

/** Decodes a batch's records (decompressing gzip); every other codec is refused as unsupported. */
export function decodeRecords(batch: BatchInfo): Record_[] {
  const codec = compressionOf(batch.bytes);
  let body = batch.bytes.subarray(BATCH_HEADER_SIZE);
  if (codec === 1) {
    try {
      body = gunzipSync(body);
    } catch {
      throw new BatchError('CORRUPT_MESSAGE', 'gzip-compressed records do not decompress');
    }
  } else if (codec !== 0) {
    throw new BatchError(
      'UNSUPPORTED_COMPRESSION_TYPE',
      `compression codec ${String(codec)} is not supported (none and gzip are)`,
    );
  }
  const baseTimestamp = batch.bytes.readBigInt64BE(27);
  const decoder = new Decoder(body);
  const records: Record_[] = [];
  try {
    for (let i = 0; i < batch.recordCount; i++) {
      decoder.varint(); // length
      decoder.int8(); // attributes
      const timestamp = baseTimestamp + decoder.varlong();
      const offsetDelta = decoder.varint();
      const key = readVarBytes(decoder);
      const value = readVarBytes(decoder);
      const headers = Array.from({ length: decoder.varint() }, () => ({
        key: (readVarBytes(decoder) ?? Buffer.alloc(0)).toString('utf8'),
        value: readVarBytes(decoder),
      }));
      records.push({ offsetDelta, timestamp, key, value, headers });
    }
  } catch (error) {
    if (error instanceof DecodeError)
      throw new BatchError('CORRUPT_MESSAGE', `records do not decode: ${error.message}`);
    throw error;
  }
  return records;
}

function readVarBytes(decoder: Decoder): Buffer | null {
  const length = decoder.varint();
  return length < 0 ? null : decoder.raw(length);
}

function validateRecords(batch: BatchInfo): void {
  if (batch.recordCount < 0 || batch.lastOffsetDelta < 0)
    throw new BatchError('CORRUPT_MESSAGE', 'negative record count');
  decodeRecords(batch);
}
