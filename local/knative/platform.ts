import { resolve } from 'node:path';
import { Partitioners, type Kafka, type Producer } from 'kafkajs';
import type { Logger } from 'pino';
import { CLUSTER_LOCAL_LABEL, newClusterCredential } from './cluster-network';
import { ContainerSourceEmulator } from './container-source';
import { KafkaSourceDispatcher, type KafkaSourceConfig } from './kafka-source/dispatcher';
import type { DeliverySpec } from './kafka-source/delivery';
import { KafkaSinkEmulator } from './kafka-sink';
import { loadManifests, type Manifest } from './manifests';
import { PingSourceEmulator } from './ping-source';
import { closeSinkConnections } from './send';
import { ServiceEmulator } from './service';

export interface PlatformOptions {
  manifestsDir: string;
  /** What the manifests' Secrets hold, by "<secret>/<key>" (e.g. knpay-database/url). */
  secrets: Record<string, string>;
  /**
   * Values that replace the manifests' ConfigMaps here, by "<configmap>/<key>" (make dev's own
   * checkout origin, say); a key not named here is read from the ConfigMap in the manifests.
   */
  configMaps?: Record<string, string>;
  /** Environment every process gets besides its manifest's (PATH, LOG_LEVEL, …). */
  env: Record<string, string>;
  idleMs: number | null;
  firstPort: number;
  log: Logger;
  /** The Kafka cluster KafkaSources and KafkaSinks use here (their bootstrapServers name the production one). */
  kafka?: Kafka;
  /** Each function process's output, line by line (else inherited). */
  onLine?: (service: string, line: string) => void;
}

interface ContainerSpec {
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

const ROOT = resolve(__dirname, '../..');

/**
 * knative/base on this machine: each Service as a ServiceEmulator on its own stable port (in the
 * manifests' order from firstPort), each PingSource firing into the Service its sink names.
 * KafkaSinks become HTTP ingresses writing to their topic, and KafkaSources consumer groups
 * delivering to the Service (or sink) they name.
 */
export async function startPlatform(given: PlatformOptions) {
  const manifests = loadManifests(given.manifestsDir);
  const options = { ...given, configMaps: { ...configMapData(manifests), ...given.configMaps } };
  const services = new Map<string, ServiceEmulator>();
  const platformHeaders = newClusterCredential();
  let port = options.firstPort;
  for (const manifest of manifests.filter((m) => m.kind === 'Service')) {
    // firstPort 0: every service on a free port of its own.
    const config = serviceConfig(manifest, options, options.firstPort === 0 ? 0 : port++);
    const clusterLocal = manifest.metadata.labels?.[CLUSTER_LOCAL_LABEL] === 'cluster-local';
    const service = new ServiceEmulator(
      { ...config, ...(clusterLocal ? { clusterCredential: platformHeaders } : {}) },
      options.log,
    );
    await service.start();
    services.set(manifest.metadata.name, service);
  }
  const sinkUrls = new Map<string, string>([...services].map(([name, s]) => [`Service/${name}`, s.url]));
  const { kafkaSinks, producer } = await startKafkaSinks(manifests, options, sinkUrls);
  const dispatchers: KafkaSourceDispatcher[] = [];
  for (const manifest of manifests.filter((m) => m.kind === 'KafkaSource')) {
    if (!options.kafka) throw new Error('KafkaSources need a Kafka cluster (PlatformOptions.kafka)');
    const dispatcher = new KafkaSourceDispatcher(
      { ...kafkaSourceConfig(manifest, sinkUrls, services), platformHeaders },
      options.kafka,
      options.log,
    );
    await dispatcher.start();
    dispatchers.push(dispatcher);
  }
  const containerSources = manifests
    .filter((m) => m.kind === 'ContainerSource')
    .map((manifest) => {
      const spec = manifest.spec as {
        template: { spec: { containers: ContainerSpec[] } };
        sink: Destination;
        ceOverrides?: { extensions?: Record<string, string> };
      };
      const owner = `ContainerSource ${manifest.metadata.name}`;
      const source = new ContainerSourceEmulator(
        {
          ...containerProcess(owner, spec.template.spec.containers[0] ?? {}, options),
          name: manifest.metadata.name,
          sinkUrl: resolveSink(spec.sink, sinkUrls, owner) ?? '',
          ...(spec.ceOverrides ? { ceOverrides: spec.ceOverrides } : {}),
          ...(options.onLine ? { onLine: (line: string) => options.onLine?.(manifest.metadata.name, line) } : {}),
        },
        options.log,
      );
      source.start();
      return source;
    });
  const pings = manifests
    .filter((m) => m.kind === 'PingSource')
    .map((manifest) => {
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
          platformHeaders,
        },
        options.log,
      );
      ping.start();
      return ping;
    });
  return {
    services,
    /** What a request from inside the cluster carries (cluster-network.ts): for tests that play a source. */
    platformHeaders,
    containerSources,
    stop: async () => {
      for (const ping of pings) ping.stop();
      await Promise.all(containerSources.map((c) => c.stop()));
      await Promise.all(dispatchers.map((d) => d.stop()));
      await closeSinkConnections();
      await Promise.all([...services.values()].map((s) => s.stop()));
      await Promise.all(kafkaSinks.map((s) => s.stop()));
      await producer?.disconnect();
    },
  };
}

function serviceConfig(manifest: Manifest, options: PlatformOptions, port: number) {
  const template = manifest.spec['template'] as { spec: { containers: ContainerSpec[] } };
  return {
    ...containerProcess(`Service ${manifest.metadata.name}`, template.spec.containers[0] ?? {}, options),
    name: manifest.metadata.name,
    idleMs: options.idleMs,
    port,
    ...(options.onLine ? { onLine: (line: string) => options.onLine?.(manifest.metadata.name, line) } : {}),
  };
}

/** Every ConfigMap's data in the manifests, by "<configmap>/<key>". */
function configMapData(manifests: Manifest[]): Record<string, string> {
  return Object.fromEntries(
    manifests
      .filter((m) => m.kind === 'ConfigMap')
      .flatMap((m) =>
        Object.entries((m as unknown as { data?: Record<string, string> }).data ?? {}).map(
          ([key, value]) => [`${m.metadata.name}/${key}`, value] as const,
        ),
      ),
  );
}

/** A container as a local process: its command from this checkout, its env with Secrets and ConfigMaps resolved. */
function containerProcess(owner: string, container: ContainerSpec, options: PlatformOptions) {
  const [command = 'node', ...args] = [...(container.command ?? []), ...(container.args ?? [])];
  const env: Record<string, string> = { ...options.env };
  for (const variable of container.env ?? []) {
    const secret = variable.valueFrom?.secretKeyRef;
    const config = variable.valueFrom?.configMapKeyRef;
    const ref = secret ?? config;
    const value = secret
      ? options.secrets[`${secret.name}/${secret.key}`]
      : config
        ? options.configMaps?.[`${config.name}/${config.key}`]
        : variable.value;
    // As Kubernetes does: an optional Secret or ConfigMap key that is absent leaves the variable unset.
    if (value === undefined && ref?.optional === true) continue;
    if (value === undefined) throw new Error(`${owner}: no value for ${variable.name}`);
    env[variable.name] = value;
  }
  return {
    // The image's `node` is this Node; its paths are the repository's.
    command: command === 'node' ? process.execPath : command,
    args: args.map((arg) => (arg.endsWith('.js') ? resolve(ROOT, arg) : arg)),
    env,
  };
}

interface Destination {
  ref?: { kind: string; name: string };
  uri?: string;
}

function resolveSink(
  destination: Destination | undefined,
  sinkUrls: Map<string, string>,
  owner: string,
): string | undefined {
  if (!destination) return undefined;
  if (destination.uri) return destination.uri;
  const url = destination.ref ? sinkUrls.get(`${destination.ref.kind}/${destination.ref.name}`) : undefined;
  if (!url) throw new Error(`${owner}: no ${destination.ref?.kind ?? 'sink'} named ${destination.ref?.name ?? '?'}`);
  return url;
}

async function startKafkaSinks(manifests: Manifest[], options: PlatformOptions, sinkUrls: Map<string, string>) {
  const kafkaSinks: KafkaSinkEmulator[] = [];
  const manifestsOfKind = manifests.filter((m) => m.kind === 'KafkaSink');
  if (manifestsOfKind.length === 0) return { kafkaSinks, producer: undefined };
  if (!options.kafka) throw new Error('KafkaSinks need a Kafka cluster (PlatformOptions.kafka)');
  // Murmur2 on the key, as the Java client under Knative's KafkaSink (and the outbox relay) partitions.
  const producer: Producer = options.kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
  await producer.connect();
  for (const manifest of manifestsOfKind) {
    const sink = new KafkaSinkEmulator(manifest.metadata.name, manifest.spec['topic'] as string, producer, options.log);
    sinkUrls.set(`KafkaSink/${manifest.metadata.name}`, await sink.start());
    kafkaSinks.push(sink);
  }
  return { kafkaSinks, producer };
}

/** A KafkaSource's spec with Knative's defaults (eventing-kafka-broker,
 * control-plane/pkg/apis/sources/v1beta1/kafka_defaults.go). */
function kafkaSourceConfig(
  manifest: Manifest,
  sinkUrls: Map<string, string>,
  services: Map<string, ServiceEmulator>,
): KafkaSourceConfig {
  const spec = manifest.spec as {
    topics: string[];
    consumerGroup?: string;
    initialOffset?: 'earliest' | 'latest';
    ordering?: 'ordered' | 'unordered';
    delivery?: DeliverySpec & { deadLetterSink?: Destination };
    sink: Destination;
    ceOverrides?: { extensions?: Record<string, string> };
  };
  const owner = `KafkaSource ${manifest.metadata.name}`;
  const { deadLetterSink, ...delivery } = spec.delivery ?? {};
  const deadLetterUrl = resolveSink(deadLetterSink, sinkUrls, owner);
  const sinkService =
    !spec.sink.uri && spec.sink.ref?.kind === 'Service' ? services.get(spec.sink.ref.name) : undefined;
  return {
    name: manifest.metadata.name,
    namespace: manifest.metadata.namespace ?? 'default',
    topics: spec.topics,
    consumerGroup: spec.consumerGroup ?? `knative-kafka-source-${manifest.metadata.name}`,
    initialOffset: spec.initialOffset ?? 'latest',
    ordering: spec.ordering ?? 'ordered',
    ...(spec.delivery ? { delivery } : {}),
    sinkUrl: resolveSink(spec.sink, sinkUrls, owner) ?? '',
    ...(sinkService ? { openSink: () => sinkService.open() } : {}),
    ...(deadLetterUrl ? { deadLetterUrl } : {}),
    ...(spec.ceOverrides?.extensions ? { ceOverrides: spec.ceOverrides.extensions } : {}),
  };
}
