import { closeSync, ftruncateSync, mkdirSync, openSync, readdirSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { BatchError, readBatchAt, withBaseOffset, type BatchInfo } from '../record-batch';

export interface LogOptions {
  /** null keeps the log in memory only. */
  dir: string | null;
  segmentBytes: number;
  retentionBytes: number | null;
  retentionMs: number | null;
}

interface StoredBatch {
  baseOffset: bigint;
  nextOffset: bigint;
  maxTimestamp: bigint;
  bytes: Buffer;
  segment: Segment;
}

interface Segment {
  baseOffset: bigint;
  path: string | null;
  fd: number | null;
  size: number;
  lastModified: number;
}

/**
 * One partition's log: segment files named by their first offset (Kafka's layout), batches kept in
 * memory and indexed by offset for fetches. An append is written to the file before it is
 * acknowledged, so a SIGKILL loses nothing acknowledged; a batch torn by a kill mid-write fails its
 * length or CRC check on start-up and is truncated away.
 */
export class PartitionLog {
  private readonly batches: StoredBatch[] = [];
  private readonly segments: Segment[] = [];
  private next = 0n;
  private start = 0n;

  constructor(private readonly options: LogOptions) {
    if (options.dir !== null) {
      mkdirSync(options.dir, { recursive: true });
      this.recover(options.dir);
    }
  }

  get logStartOffset(): bigint {
    return this.start;
  }

  get highWatermark(): bigint {
    return this.next;
  }

  /** Appends validated batches, giving them their offsets; returns the first offset assigned. */
  append(batches: BatchInfo[]): bigint {
    const first = this.next;
    for (const batch of batches) {
      const bytes = withBaseOffset(batch.bytes, this.next);
      const segment = this.activeSegment(bytes.length);
      if (segment.fd !== null) writeSync(segment.fd, bytes);
      segment.size += bytes.length;
      segment.lastModified = Date.now();
      const nextOffset = this.next + BigInt(batch.lastOffsetDelta) + 1n;
      this.batches.push({ baseOffset: this.next, nextOffset, maxTimestamp: batch.maxTimestamp, bytes, segment });
      this.next = nextOffset;
    }
    this.applyRetention();
    return first;
  }

  /** Whole batches from the one holding `offset`, up to about `maxBytes` (at least one batch). */
  read(offset: bigint, maxBytes: number): Buffer {
    let index = this.indexOf(offset);
    if (index < 0) return Buffer.alloc(0);
    const parts: Buffer[] = [];
    let size = 0;
    for (; index < this.batches.length; index++) {
      const batch = this.batches[index];
      if (!batch || (parts.length > 0 && size + batch.bytes.length > maxBytes)) break;
      parts.push(batch.bytes);
      size += batch.bytes.length;
    }
    return Buffer.concat(parts);
  }

  /** The first offset whose batch holds a timestamp at or after `timestamp`, else the high watermark. */
  offsetForTimestamp(timestamp: bigint): bigint {
    return this.batches.find((batch) => batch.maxTimestamp >= timestamp)?.baseOffset ?? this.next;
  }

  close(): void {
    for (const segment of this.segments) {
      if (segment.fd !== null) closeSync(segment.fd);
      segment.fd = null;
    }
  }

  private indexOf(offset: bigint): number {
    let low = 0;
    let high = this.batches.length - 1;
    while (low <= high) {
      const mid = (low + high) >> 1;
      const batch = this.batches[mid];
      if (!batch) break;
      if (offset < batch.baseOffset) high = mid - 1;
      else if (offset >= batch.nextOffset) low = mid + 1;
      else return mid;
    }
    return -1;
  }

  private activeSegment(incoming: number): Segment {
    const last = this.segments.at(-1);
    if (last && last.size + incoming <= this.options.segmentBytes) return last;
    const path =
      this.options.dir === null ? null : join(this.options.dir, `${this.next.toString().padStart(20, '0')}.log`);
    const segment: Segment = {
      baseOffset: this.next,
      path,
      fd: path === null ? null : openSync(path, 'a'),
      size: 0,
      lastModified: Date.now(),
    };
    this.segments.push(segment);
    return segment;
  }

  /** Drops whole segments, oldest first, past the size or age limit; the active segment stays. */
  private applyRetention(): void {
    const { retentionBytes, retentionMs } = this.options;
    if (retentionBytes === null && retentionMs === null) return;
    let total = this.segments.reduce((sum, s) => sum + s.size, 0);
    while (this.segments.length > 1) {
      const oldest = this.segments[0];
      if (!oldest) break;
      const tooBig = retentionBytes !== null && total > retentionBytes;
      const tooOld = retentionMs !== null && Date.now() - oldest.lastModified > retentionMs;
      if (!tooBig && !tooOld) break;
      this.segments.shift();
      total -= oldest.size;
      if (oldest.fd !== null) closeSync(oldest.fd);
      if (oldest.path !== null) rmSync(oldest.path, { force: true });
      while (this.batches[0]?.segment === oldest) this.batches.shift();
      this.start = this.batches[0]?.baseOffset ?? this.next;
    }
  }

  private recover(dir: string): void {
    const files = readdirSync(dir)
      .filter((name) => /^\d{20}\.log$/.test(name))
      .sort();
    for (const name of files) {
      const path = join(dir, name);
      const data = readFileSync(path);
      const segment: Segment = {
        baseOffset: BigInt(name.slice(0, 20)),
        path,
        fd: null,
        size: 0,
        lastModified: Date.now(),
      };
      let position = 0;
      for (;;) {
        let batch: BatchInfo | null;
        try {
          batch = readBatchAt(data, position);
        } catch (error) {
          if (!(error instanceof BatchError)) throw error;
          batch = null;
        }
        if (batch === null) break;
        const nextOffset = batch.baseOffset + BigInt(batch.lastOffsetDelta) + 1n;
        this.batches.push({
          baseOffset: batch.baseOffset,
          nextOffset,
          maxTimestamp: batch.maxTimestamp,
          bytes: batch.bytes,
          segment,
        });
        this.next = nextOffset;
        position += batch.bytes.length;
      }
      if (position < data.length) {
        // A torn or corrupt tail: what a kill in the middle of a write leaves. It was never acknowledged.
        const fd = openSync(path, 'r+');
        ftruncateSync(fd, position);
        closeSync(fd);
      }
      segment.size = position;
      segment.fd = openSync(path, 'a');
      this.segments.push(segment);
    }
    this.start = this.batches[0]?.baseOffset ?? this.next;
  }
}
