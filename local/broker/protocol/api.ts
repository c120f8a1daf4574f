import type { Field, VersionRange } from './schema';

/** One Kafka API as this broker speaks it: the versions it accepts and its message grammar. */
export interface ApiDefinition {
  key: number;
  name: string;
  minVersion: number;
  maxVersion: number;
  /** Versions using the flexible encoding (compact types, tagged fields, request header v2). */
  flexible: VersionRange;
  request: Field[];
  response: Field[];
}
