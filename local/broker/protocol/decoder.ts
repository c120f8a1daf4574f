/** What a decoder throws on bytes that do not parse: the server answers it by closing the connection. */
export class DecodeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DecodeError';
  }
}

/**
 * The reading mirror of Encoder. It keeps a null string, bytes or array (length -1, or 0 in compact
 * form) distinct from an empty one: Metadata with null topics means "all topics".
 */
export class Decoder {
  private offset = 0;

  constructor(private readonly buffer: Buffer) {}

  private need(bytes: number): void {
    if (bytes < 0 || this.offset + bytes > this.buffer.length) {
      throw new DecodeError(
        `needs ${String(bytes)} bytes at offset ${String(this.offset)} of ${String(this.buffer.length)}`,
      );
    }
  }

  int8(): number {
    this.need(1);
    const v = this.buffer.readInt8(this.offset);
    this.offset += 1;
    return v;
  }
  int16(): number {
    this.need(2);
    const v = this.buffer.readInt16BE(this.offset);
    this.offset += 2;
    return v;
  }
  int32(): number {
    this.need(4);
    const v = this.buffer.readInt32BE(this.offset);
    this.offset += 4;
    return v;
  }
  uint32(): number {
    this.need(4);
    const v = this.buffer.readUInt32BE(this.offset);
    this.offset += 4;
    return v;
  }
  int64(): bigint {
    this.need(8);
    const v = this.buffer.readBigInt64BE(this.offset);
    this.offset += 8;
    return v;
  }
  float64(): number {
    this.need(8);
    const v = this.buffer.readDoubleBE(this.offset);
    this.offset += 8;
    return v;
  }
  bool(): boolean {
    return this.int8() !== 0;
  }

  unsignedVarint(): number {
    let result = 0;
    for (let shift = 0; shift < 35; shift += 7) {
      this.need(1);
      const byte = this.buffer[this.offset++] ?? 0;
      result |= (byte & 0x7f) << shift;
      if ((byte & 0x80) === 0) return result >>> 0;
    }
    throw new DecodeError('varint longer than 5 bytes');
  }

  varint(): number {
    const v = this.unsignedVarint();
    return (v >>> 1) ^ -(v & 1);
  }

  varlong(): bigint {
    let result = 0n;
    for (let shift = 0n; shift < 70n; shift += 7n) {
      this.need(1);
      const byte = this.buffer[this.offset++] ?? 0;
      result |= BigInt(byte & 0x7f) << shift;
      if ((byte & 0x80) === 0) return (result >> 1n) ^ -(result & 1n);
    }
    throw new DecodeError('varlong longer than 10 bytes');
  }

  raw(length: number): Buffer {
    this.need(length);
    const slice = this.buffer.subarray(this.offset, this.offset + length);
    this.offset += length;
    return slice;
  }

  string(): string | null {
    const length = this.int16();
    return length < 0 ? null : this.raw(length).toString('utf8');
  }

  compactString(): string | null {
    const length = this.unsignedVarint() - 1;
    return length < 0 ? null : this.raw(length).toString('utf8');
  }

  bytes(): Buffer | null {
    const length = this.int32();
    return length < 0 ? null : this.raw(length);
  }

  compactBytes(): Buffer | null {
    const length = this.unsignedVarint() - 1;
    return length < 0 ? null : this.raw(length);
  }

  uuid(): Buffer {
    return this.raw(16);
  }

  /** An array's element count: null for a null array. Bounded by the bytes left, so a huge count is refused. */
  arrayLength(compact: boolean): number | null {
    const length = compact ? this.unsignedVarint() - 1 : this.int32();
    if (length < 0) return null;
    if (length > this.remaining)
      throw new DecodeError(`array of ${String(length)} elements in ${String(this.remaining)} bytes`);
    return length;
  }

  /** Tagged fields we do not know are skipped, as the protocol asks. */
  skipTaggedFields(): void {
    const count = this.unsignedVarint();
    for (let i = 0; i < count; i++) {
      this.unsignedVarint();
      this.raw(this.unsignedVarint());
    }
  }

  get remaining(): number {
    return this.buffer.length - this.offset;
  }
}
