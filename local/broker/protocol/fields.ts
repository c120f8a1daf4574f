import type { Field, VersionRange } from './schema';

/** Shorthands for field definitions: `f.int32('partition_index')`, `f.string('name', '1+')`, … */
const scalar =
  (type: Exclude<Field['type'], Field[]>) =>
  (name: string, versions: VersionRange = '0+', extra: Partial<Field> = {}): Field => ({
    name,
    type,
    versions,
    ...extra,
  });

export const f = {
  int8: scalar('int8'),
  int16: scalar('int16'),
  int32: scalar('int32'),
  int64: scalar('int64'),
  bool: scalar('bool'),
  string: scalar('string'),
  bytes: scalar('bytes'),
  uuid: scalar('uuid'),
  records: scalar('records'),
  /** A nullable string in the given versions. */
  nullableString: (name: string, versions: VersionRange = '0+', nullable: VersionRange = versions): Field => ({
    name,
    type: 'string',
    versions,
    nullable,
  }),
  /** An array of structs. */
  structs: (name: string, fields: Field[], versions: VersionRange = '0+', nullable?: VersionRange): Field => ({
    name,
    type: fields,
    array: true,
    versions,
    ...(nullable ? { nullable } : {}),
  }),
  /** An array of scalars. */
  array: (
    name: string,
    type: Exclude<Field['type'], Field[]>,
    versions: VersionRange = '0+',
    nullable?: VersionRange,
  ): Field => ({
    name,
    type,
    array: true,
    versions,
    ...(nullable ? { nullable } : {}),
  }),
};
