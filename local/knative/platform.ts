import { resolve } from 'node:path';
import type { Logger } from 'pino';
import { loadManifests, type Manifest } from './manifests';
import { PingSourceEmulator } from './ping-source';
import { ServiceEmulator } from './service';

export interface PlatformOptions {
  manifestsDir: string;
  /** What the manifests' Secrets hold, by "<secret>/<key>" (e.g. knpay-database/url). */
  secrets: Record<string, string>;
  /** Environment every process gets besides its manifest's (PATH, LOG_LEVEL, …). */
  env: Record<string, string>;
  idleMs: number | null;
  firstPort: number;
  log: Logger;
  /** Each function process's output, line by line (else inherited). */
  onLine?: (service: string, line: string) => void;
}

interface ContainerSpec {
  command?: string[];
  args?: string[];
  env?: { name: string; value?: string; valueFrom?: { secretKeyRef?: { name: string; key: string } } }[];
}

const ROOT = resolve(__dirname, '../..');

/**
 * knative/base on this machine: each Service as a ServiceEmulator on its own stable port (in the
 * manifests' order from firstPort), each PingSource firing into the Service its sink names.
 * KafkaSources join when the functions consume Kafka topics (local/knative/kafka-source/).
 */
export async function startPlatform(options: PlatformOptions) {
  const manifests = loadManifests(options.manifestsDir);
  const services = new Map<string, ServiceEmulator>();
  let port = options.firstPort;
  for (const manifest of manifests.filter((m) => m.kind === 'Service')) {
    const service = new ServiceEmulator(serviceConfig(manifest, options, port++), options.log);
    await service.start();
    services.set(manifest.metadata.name, service);
  }
  const pings = manifests.filter((m) => m.kind === 'PingSource').map((manifest) => {
    const sinkName = (manifest.spec['sink'] as { ref: { name: string } }).ref.name;
    const sink = services.get(sinkName);
    if (!sink) throw new Error(`PingSource ${manifest.metadata.name}: no Service named ${sinkName}`);
    const ping = new PingSourceEmulator(
      {
        name: manifest.metadata.name,
        namespace: manifest.metadata.namespace ?? 'default',
        schedule: manifest.spec['schedule'] as string,
        ...(typeof manifest.spec['timezone'] === 'string' ? { timezone: manifest.spec['timezone'] } : {}),
        ...(typeof manifest.spec['contentType'] === 'string' ? { contentType: manifest.spec['contentType'] } : {}),
        ...(typeof manifest.spec['data'] === 'string' ? { data: manifest.spec['data'] } : {}),
        sinkUrl: sink.url,
      },
      options.log,
    );
    ping.start();
    return ping;
  });
  return {
    services,
    stop: async () => {
      for (const ping of pings) ping.stop();
      await Promise.all([...services.values()].map((s) => s.stop()));
    },
  };
}

function serviceConfig(manifest: Manifest, options: PlatformOptions, port: number) {
  const template = manifest.spec['template'] as { spec: { containers: ContainerSpec[] } };
  const container = template.spec.containers[0] ?? {};
  const [command = 'node', ...args] = [...(container.command ?? []), ...(container.args ?? [])];
  const env: Record<string, string> = { ...options.env };
  for (const variable of container.env ?? []) {
    const ref = variable.valueFrom?.secretKeyRef;
    const value = ref ? options.secrets[`${ref.name}/${ref.key}`] : variable.value;
    if (value === undefined) throw new Error(`Service ${manifest.metadata.name}: no value for ${variable.name}`);
    env[variable.name] = value;
  }
  return {
    name: manifest.metadata.name,
    // The image's `node` is this Node; its paths are the repository's.
    command: command === 'node' ? process.execPath : command,
    args: args.map((arg) => (arg.endsWith('.js') ? resolve(ROOT, arg) : arg)),
    env,
    idleMs: options.idleMs,
    port,
    ...(options.onLine ? { onLine: (line: string) => options.onLine?.(manifest.metadata.name, line) } : {}),
  };
}
