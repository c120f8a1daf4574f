import { Decoder, DecodeError } from './decoder';
import { Encoder } from './encoder';

/**
 * Messages described as data, the way Kafka's own JSON message definitions are: each field names the
 * versions it exists in and those in which it may be null. One reader and one writer then handle every
 * API and version, including flexible versions (compact strings, bytes and arrays, and tagged fields
 * after every struct), so no API writes flexible encoding by hand.
 */
export type VersionRange = string; // "0+", "3-5", "none"

type Scalar = 'int8' | 'int16' | 'int32' | 'int64' | 'bool' | 'string' | 'bytes' | 'uuid' | 'float64' | 'records';

export interface Field {
  name: string;
  type: Scalar | Field[];
  array?: boolean;
  versions: VersionRange;
  nullable?: VersionRange;
  default?: unknown;
}

export type Message = Record<string, unknown>;

export function inRange(range: VersionRange, version: number): boolean {
  if (range === 'none') return false;
  const plus = /^(\d+)\+$/.exec(range);
  if (plus) return version >= Number(plus[1]);
  const span = /^(\d+)-(\d+)$/.exec(range);
  if (span) return version >= Number(span[1]) && version <= Number(span[2]);
  return version === Number(range);
}

export function readMessage(fields: Field[], version: number, flexible: boolean, decoder: Decoder): Message {
  const message: Message = {};
  for (const field of fields) {
    if (!inRange(field.versions, version)) {
      if (field.default !== undefined) message[field.name] = field.default;
      continue;
    }
    message[field.name] = field.array
      ? readArray(field, version, flexible, decoder)
      : readValue(field, version, flexible, decoder);
  }
  if (flexible) decoder.skipTaggedFields();
  return message;
}

function readArray(field: Field, version: number, flexible: boolean, decoder: Decoder): unknown[] | null {
  const length = decoder.arrayLength(flexible);
  if (length === null) {
    if (!inRange(field.nullable ?? 'none', version))
      throw new DecodeError(`${field.name} may not be null in v${String(version)}`);
    return null;
  }
  return Array.from({ length }, () => readValue(field, version, flexible, decoder));
}

function readValue(field: Field, version: number, flexible: boolean, d: Decoder): unknown {
  if (Array.isArray(field.type)) return readMessage(field.type, version, flexible, d);
  switch (field.type) {
    case 'int8':
      return d.int8();
    case 'int16':
      return d.int16();
    case 'int32':
      return d.int32();
    case 'int64':
      return d.int64();
    case 'float64':
      return d.float64();
    case 'bool':
      return d.bool();
    case 'uuid':
      return d.uuid();
    case 'string':
      return flexible ? d.compactString() : d.string();
    case 'bytes':
    case 'records':
      return flexible ? d.compactBytes() : d.bytes();
  }
}

export function writeMessage(
  fields: Field[],
  version: number,
  flexible: boolean,
  message: Message,
  encoder: Encoder,
): Encoder {
  for (const field of fields) {
    if (!inRange(field.versions, version)) continue;
    // Only an absent field takes its default: null is a value (a null array means "all" in places).
    const value = message[field.name] === undefined ? field.default : message[field.name];
    if (field.array) writeArray(field, version, flexible, value as unknown[] | null | undefined, encoder);
    else writeValue(field, version, flexible, value, encoder);
  }
  if (flexible) encoder.unsignedVarint(0); // no tagged fields
  return encoder;
}

function writeArray(
  field: Field,
  version: number,
  flexible: boolean,
  items: unknown[] | null | undefined,
  e: Encoder,
): void {
  if (items === null && inRange(field.nullable ?? 'none', version)) {
    if (flexible) e.unsignedVarint(0);
    else e.int32(-1);
    return;
  }
  const list = items ?? [];
  if (flexible) e.unsignedVarint(list.length + 1);
  else e.int32(list.length);
  for (const item of list) writeValue(field, version, flexible, item, e);
}

function writeValue(field: Field, version: number, flexible: boolean, value: unknown, e: Encoder): void {
  if (Array.isArray(field.type)) {
    writeMessage(field.type, version, flexible, (value ?? {}) as Message, e);
    return;
  }
  switch (field.type) {
    case 'int8':
      e.int8(Number(value ?? 0));
      return;
    case 'int16':
      e.int16(Number(value ?? 0));
      return;
    case 'int32':
      e.int32(Number(value ?? 0));
      return;
    case 'int64':
      e.int64(BigInt((value as bigint | number | undefined) ?? 0));
      return;
    case 'float64':
      e.float64(Number(value ?? 0));
      return;
    case 'bool':
      e.bool(Boolean(value));
      return;
    case 'uuid':
      e.uuid((value as Buffer | undefined) ?? Buffer.alloc(16));
      return;
    case 'string': {
      const text =
        value === undefined || value === null
          ? inRange(field.nullable ?? 'none', version)
            ? null
            : ''
          : (value as string);
      if (flexible) e.compactString(text);
      else e.string(text);
      return;
    }
    case 'bytes':
    case 'records': {
      const bytes =
        (value as Buffer | null | undefined) ??
        (field.type === 'records' || inRange(field.nullable ?? 'none', version) ? null : Buffer.alloc(0));
      if (flexible) e.compactBytes(bytes);
      else e.bytes(bytes);
      return;
    }
  }
}
