import { resolve } from 'node:path';

const ROOT = resolve(__dirname, '../..');

export interface ContainerSpec {
  command?: string[];
  args?: string[];
  env?: {
    name: string;
    value?: string;
    valueFrom?: {
      secretKeyRef?: { name: string; key: string; optional?: boolean };
      configMapKeyRef?: { name: string; key: string; optional?: boolean };
    };
  }[];
}

export interface ContainerValues {
  /** What the manifests' Secrets hold, by "<secret>/<key>". */
  secrets: Record<string, string>;
  /** The ConfigMaps' data, by "<configmap>/<key>". */
  configMaps?: Record<string, string>;
  /** Environment every process gets besides its manifest's (PATH, LOG_LEVEL, KAFKA_BROKERS …). */
  env: Record<string, string>;
}

/** A container as a local process: its command from this checkout, its env with Secrets and ConfigMaps resolved. */
export function containerProcess(owner: string, container: ContainerSpec, values: ContainerValues) {
  const [command = 'node', ...args] = [...(container.command ?? []), ...(container.args ?? [])];
  const env: Record<string, string> = { ...values.env };
  for (const variable of container.env ?? []) {
    const secret = variable.valueFrom?.secretKeyRef;
    const config = variable.valueFrom?.configMapKeyRef;
    const ref = secret ?? config;
    const value = secret
      ? values.secrets[`${secret.name}/${secret.key}`]
      : config
        ? values.configMaps?.[`${config.name}/${config.key}`]
        : variable.value;
    // As Kubernetes does: an optional Secret or ConfigMap key that is absent leaves the variable unset.
    if (value === undefined && ref?.optional === true) continue;
    if (value === undefined) throw new Error(`${owner}: no value for ${variable.name}`);
    env[variable.name] = value;
  }
  // A manifest's Kafka address names the production cluster (an overlay's); here Kafka is the platform's,
  // as the KafkaSources' and KafkaSinks' bootstrapServers are read from PlatformOptions.kafka.
  if (env['KAFKA_BROKERS'] !== undefined && values.env['KAFKA_BROKERS'])
    env['KAFKA_BROKERS'] = values.env['KAFKA_BROKERS'];
  return {
    // The image's `node` is this Node; its paths are the repository's.
    command: command === 'node' ? process.execPath : command,
    args: args.map((arg) => (arg.endsWith('.js') ? resolve(ROOT, arg) : arg)),
    env,
  };
}
