import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { functions } from '../../functions/registry';
import type { FunctionModule } from '../../shared/runtime';
import { catalog } from '../../shared/events';
import { crdDirectory, CrdValidator, loadManifests, servedByCrd, type Manifest } from '../../local/knative/manifests';
import { ROOT } from '../helpers/process';
import { coreConfigSchema } from '../../functions/core/config';
import { functionOf, serveOf } from '../helpers/manifest-rules';

// The upstream CRDs are not in the project: they are read from $KNATIVE_CRDS_DIR or the team's shared
// folder beside the checkout. Where neither is there, only the schema checks are skipped, and say so.
const CRDS = crdDirectory();
const haveCrds = existsSync(CRDS);
const validator = haveCrds ? new CrdValidator(CRDS) : undefined;
if (!haveCrds) console.warn(`No upstream CRDs at ${CRDS} (set KNATIVE_CRDS_DIR): the CRD schema checks are skipped`);
const schemaIt = haveCrds ? it : it.skip;
const manifests = loadManifests(resolve(ROOT, 'knative/base'));
const ofKind = (kind: string) => manifests.filter((m) => m.kind === kind);

describe('knative/base', () => {
  // Knative's and Strimzi's kinds against their CRDs; Kubernetes' own (the relay's) in relay-manifest.test.ts.
  const knativeKinds = manifests.filter(servedByCrd);
  (haveCrds ? it.each : it.skip.each)(knativeKinds.map((m) => [`${m.kind} ${m.metadata.name}`, m] as const))(
    '%s validates against its upstream CRD',
    (_name, manifest) => {
      expect(validator?.problems(manifest)).toEqual([]);
    },
  );

  it('has a scale-to-zero Service for each of the six functions', () => {
    const services = ofKind('Service');
    expect([...new Set(services.map(functionOf))].sort()).toEqual(Object.keys(functions).sort());
    for (const service of services) {
      const template = service.spec['template'] as { metadata: { annotations: Record<string, string> } };
      expect(template.metadata.annotations['autoscaling.knative.dev/min-scale']).toBe('0');
    }
  });

  it('scales core on requests per second, so open checkout streams do not count as load', () => {
    const core = ofKind('Service').find((s) => s.metadata.name === 'core');
    const annotations = (core?.spec['template'] as { metadata: { annotations: Record<string, string> } }).metadata
      .annotations;
    expect(annotations['autoscaling.knative.dev/metric']).toBe('rps');
    // The stream ends before the request timeout, so a stream never holds a revision past it.
    const timeout = (core?.spec['template'] as { spec: { timeoutSeconds: number } }).spec.timeoutSeconds;
    expect(coreConfigSchema.shape.CHECKOUT_STREAM_SECONDS.parse(undefined)).toBeLessThan(timeout);
  });

  it('never puts a secret in a manifest: DATABASE_URL comes from a Secret', () => {
    for (const service of ofKind('Service')) {
      const env =
        (
          service.spec['template'] as {
            spec: { containers: { env: { name: string; value?: string; valueFrom?: unknown }[] }[] };
          }
        ).spec.containers[0]?.env ?? [];
      const url = env.find((e) => e.name === 'DATABASE_URL');
      expect(url?.value).toBeUndefined();
      expect(url?.valueFrom).toEqual({ secretKeyRef: { name: 'knpay-database', key: 'url' } });
    }
  });

  it('tells core, webhooks and notification the public checkout origin from the ConfigMap, which has it', () => {
    const config = manifests.find((m) => m.kind === 'ConfigMap' && m.metadata.name === 'knpay-config') as unknown as
      { data: Record<string, string> } | undefined;
    expect(config?.data['checkout-base-url']).toMatch(/^https:\/\//);
    for (const name of ['core', 'webhooks', 'notification']) {
      const service = ofKind('Service').find((s) => s.metadata.name === name);
      const env = (
        service?.spec['template'] as { spec: { containers: { env: { name: string; valueFrom?: unknown }[] }[] } }
      ).spec.containers[0]?.env;
      expect(env?.find((e) => e.name === 'CHECKOUT_BASE_URL')?.valueFrom).toEqual({
        configMapKeyRef: { name: 'knpay-config', key: 'checkout-base-url' },
      });
    }
  });

  it('gives every PingSource data that the tick schema of the catalog accepts, and a sink that exists', () => {
    const services = new Set(ofKind('Service').map((s) => s.metadata.name));
    for (const ping of ofKind('PingSource')) {
      expect(catalog['dev.knative.sources.ping'].data.safeParse(JSON.parse(ping.spec['data'] as string)).success).toBe(
        true,
      );
      expect(services.has((ping.spec['sink'] as { ref: { name: string } }).ref.name)).toBe(true);
    }
  });
});

function withTimeout(value: unknown): Manifest {
  const service = JSON.parse(JSON.stringify(ofKind('Service')[0])) as Manifest & {
    spec: { template: { spec: Record<string, unknown> } };
  };
  service.spec.template.spec['timeoutSeconds'] = value;
  return service;
}

describe('the validator', () => {
  const kafkaSource: Manifest = {
    apiVersion: 'sources.knative.dev/v1beta1',
    kind: 'KafkaSource',
    metadata: { name: 'ledger' },
    spec: {
      bootstrapServers: ['kafka:9092'],
      topics: ['knpay.invoices'],
      consumerGroup: 'core',
      ordering: 'ordered',
      delivery: {
        retry: 5,
        backoffPolicy: 'exponential',
        backoffDelay: 'PT0.5S',
        deadLetterSink: {
          ref: { apiVersion: 'eventing.knative.dev/v1alpha1', kind: 'KafkaSink', name: 'dead-letters' },
        },
      },
      sink: { ref: { apiVersion: 'serving.knative.dev/v1', kind: 'Service', name: 'core' } },
    },
  };

  schemaIt('accepts a KafkaSource with a delivery policy', () => {
    expect(validator?.problems(kafkaSource)).toEqual([]);
  });

  (haveCrds ? it.each : it.skip.each)([
    ['a KafkaSource without topics', { ...kafkaSource, spec: { ...kafkaSource.spec, topics: undefined } }, /topics/],
    [
      'a retry count that is not a number',
      { ...kafkaSource, spec: { ...kafkaSource.spec, delivery: { retry: 'five' } } },
      /delivery\/retry/,
    ],
    [
      'a PingSource whose schedule is a number',
      { apiVersion: 'sources.knative.dev/v1', kind: 'PingSource', metadata: { name: 'x' }, spec: { schedule: 5 } },
      /schedule/,
    ],
    ['a Service whose timeoutSeconds is text', withTimeout('long'), /timeoutSeconds: must be integer/],
    [
      'a kind no CRD serves',
      { apiVersion: 'sources.knative.dev/v9', kind: 'PingSource', metadata: { name: 'x' }, spec: {} },
      /no CRD serves/,
    ],
  ])('rejects %s', (_name, manifest, problem) => {
    const problems = validator?.problems(JSON.parse(JSON.stringify(manifest)) as Manifest) ?? [];
    expect(problems.join('\n')).toMatch(problem);
  });
});

const clusterLocal = (service: Manifest) =>
  service.metadata.labels?.['networking.knative.dev/visibility'] === 'cluster-local';

/** Every Service that some source or trigger delivers events to. */
function eventSinks(): string[] {
  return (
    manifests
      .filter((m) => m.kind !== 'Service')
      // A ConfigMap has no spec.
      .map(
        (m) =>
          (
            (m.spec as Record<string, unknown> | undefined)?.['sink'] as
              { ref?: { kind: string; name: string } } | undefined
          )?.ref,
      )
      .filter((ref): ref is { kind: string; name: string } => ref?.kind === 'Service')
      .map((ref) => ref.name)
  );
}

describe('the event ingress rule: no request from outside the cluster reaches an event handler', () => {
  it.each(ofKind('Service').map((s) => [s.metadata.name, s] as const))(
    'Service %s: public with no event endpoint, or cluster-local serving events',
    (_name, service) => {
      if (clusterLocal(service)) expect(serveOf(service)).toBe('events');
      else expect(serveOf(service)).toBe('api');
    },
  );

  it('delivers every source to a cluster-local Service', () => {
    const services = new Map(ofKind('Service').map((s) => [s.metadata.name, s]));
    const sinks = eventSinks();
    expect(sinks.length).toBeGreaterThan(0);
    for (const name of sinks)
      expect([name, services.get(name) && clusterLocal(services.get(name) as Manifest)]).toEqual([name, true]);
  });

  it('gives a public Service only to a function that has public routes', async () => {
    for (const service of ofKind('Service').filter((s) => !clusterLocal(s))) {
      const module: FunctionModule = await functions[functionOf(service) as keyof typeof functions]();
      expect([service.metadata.name, typeof module.routes]).toEqual([service.metadata.name, 'function']);
    }
  });
});
