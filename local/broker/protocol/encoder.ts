/**
 * A chainable big-endian writer for the Kafka wire format: fixed-width integers, varints, and both the
 * classic (int16/int32 length) and the compact (unsigned varint length + 1) strings, bytes and arrays
 * of flexible versions. Grows by doubling.
 */
export class Encoder {
  private buffer: Buffer;
  private offset = 0;

  constructor(initialSize = 256) {
    this.buffer = Buffer.allocUnsafe(initialSize);
  }

  private ensure(bytes: number): void {
    if (this.offset + bytes <= this.buffer.length) return;
    let size = this.buffer.length * 2;
    while (size < this.offset + bytes) size *= 2;
    const grown = Buffer.allocUnsafe(size);
    this.buffer.copy(grown, 0, 0, this.offset);
    this.buffer = grown;
  }

  int8(value: number): this {
    this.ensure(1);
    this.offset = this.buffer.writeInt8(value, this.offset);
    return this;
  }
  int16(value: number): this {
    this.ensure(2);
    this.offset = this.buffer.writeInt16BE(value, this.offset);
    return this;
  }
  int32(value: number): this {
    this.ensure(4);
    this.offset = this.buffer.writeInt32BE(value, this.offset);
    return this;
  }
  uint32(value: number): this {
    this.ensure(4);
    this.offset = this.buffer.writeUInt32BE(value, this.offset);
    return this;
  }
  int64(value: bigint): this {
    this.ensure(8);
    this.offset = this.buffer.writeBigInt64BE(value, this.offset);
    return this;
  }
  float64(value: number): this {
    this.ensure(8);
    this.offset = this.buffer.writeDoubleBE(value, this.offset);
    return this;
  }
  bool(value: boolean): this {
    return this.int8(value ? 1 : 0);
  }

  unsignedVarint(value: number): this {
    let v = value >>> 0;
    while (v >= 0x80) {
      this.int8Raw((v & 0x7f) | 0x80);
      v >>>= 7;
    }
    return this.int8Raw(v);
  }

  /** Zig-zag varint (record fields). */
  varint(value: number): this {
    return this.unsignedVarint(((value << 1) ^ (value >> 31)) >>> 0);
  }

  /** Zig-zag varlong (record timestamps and offsets deltas may need 64 bits). */
  varlong(value: bigint): this {
    let v = BigInt.asUintN(64, (value << 1n) ^ (value >> 63n));
    while (v >= 0x80n) {
      this.int8Raw(Number(v & 0x7fn) | 0x80);
      v >>= 7n;
    }
    return this.int8Raw(Number(v));
  }

  private int8Raw(byte: number): this {
    this.ensure(1);
    this.buffer[this.offset++] = byte;
    return this;
  }

  raw(bytes: Buffer): this {
    this.ensure(bytes.length);
    bytes.copy(this.buffer, this.offset);
    this.offset += bytes.length;
    return this;
  }

  string(value: string | null): this {
    if (value === null) return this.int16(-1);
    const bytes = Buffer.from(value, 'utf8');
    return this.int16(bytes.length).raw(bytes);
  }

  compactString(value: string | null): this {
    if (value === null) return this.unsignedVarint(0);
    const bytes = Buffer.from(value, 'utf8');
    return this.unsignedVarint(bytes.length + 1).raw(bytes);
  }

  bytes(value: Buffer | null): this {
    if (value === null) return this.int32(-1);
    return this.int32(value.length).raw(value);
  }

  compactBytes(value: Buffer | null): this {
    if (value === null) return this.unsignedVarint(0);
    return this.unsignedVarint(value.length + 1).raw(value);
  }

  uuid(value: Buffer): this {
    return this.raw(value.length === 16 ? value : Buffer.alloc(16));
  }

  get length(): number {
    return this.offset;
  }

  toBuffer(): Buffer {
    return this.buffer.subarray(0, this.offset);
  }
}
