import { Partitioners, type Kafka, type Producer } from 'kafkajs';
import type { Logger } from 'pino';
import { CLUSTER_LOCAL_LABEL, newClusterCredential } from './cluster-network';
import { containerProcess, type ContainerSpec } from './container';
import { resolveSink, type Destination } from './destination';
import { KafkaSourceDispatcher, type KafkaSourceConfig } from './kafka-source/dispatcher';
import type { DeliverySpec } from './kafka-source/delivery';
import { KafkaSinkEmulator } from './kafka-sink';
import { loadManifests, type Manifest } from './manifests';
import { PingSourceEmulator } from './ping-source';
import { startPods } from './pods';
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
  const pods = startPods(manifests, options, sinkUrls);
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
    /** ContainerSources' and Deployments' processes (the chain source, the outbox relay's replicas). */
    pods,
    stop: async () => {
      for (const ping of pings) ping.stop();
      await Promise.all(pods.map((pod) => pod.stop()));
      await Promise.all(dispatchers.map((d) => d.stop()));
      await closeSinkConnections();
      await Promise.all([...services.values()].map((s) => s.stop()));
      await Promise.all(kafkaSinks.map((s) => s.stop()));
      await producer?.disconnect();
    },
  };
}

function serviceConfig(manifest: Manifest, options: PlatformOptions, port: number) {
  const template = manifest.spec['template'] as {
    metadata?: { annotations?: Record<string, string> };
    spec: { containers: ContainerSpec[] };
  };
  // Knative's autoscaler: a concurrency target per process (default 100) and a maximum scale. A Service
  // scaled on requests per second (metric rps) is not scaled out here: the emulator counts concurrency.
  const annotations = template.metadata?.annotations ?? {};
  const byConcurrency = (annotations['autoscaling.knative.dev/metric'] ?? 'concurrency') === 'concurrency';
  const target = byConcurrency
    ? Number(annotations['autoscaling.knative.dev/target'] ?? '100')
    : Number.POSITIVE_INFINITY;
  // max-scale 0 is Knative's "no bound".
  const maxScale = Number(annotations['autoscaling.knative.dev/max-scale'] ?? '1') || Number.POSITIVE_INFINITY;
  return {
    ...containerProcess(`Service ${manifest.metadata.name}`, template.spec.containers[0] ?? {}, options),
    name: manifest.metadata.name,
    idleMs: options.idleMs,
    target,
    maxScale,
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
