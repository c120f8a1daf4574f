import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { functions } from '../../functions/registry';
import { catalog } from '../../shared/events';
import { CrdValidator, loadManifests, type Manifest } from '../../local/knative/manifests';
import { ROOT } from '../helpers/process';

// Copies of the upstream CRDs kept in the repository; the team's shared folder, when it is beside
// the checkout, is the reference they must still match.
const CRDS = resolve(ROOT, 'knative/crds');
const SHARED_CRDS = resolve(ROOT, '../shared/knative-crds');

const validator = new CrdValidator(CRDS);
const manifests = loadManifests(resolve(ROOT, 'knative/base'));
const ofKind = (kind: string) => manifests.filter((m) => m.kind === kind);

describe('the CRD copies', () => {
  const copies = readdirSync(CRDS).filter((f) => f.endsWith('.yaml'));
  it('cover every kind the manifests use', () => {
    expect(copies.length).toBeGreaterThanOrEqual(5);
  });
  // Only where the reference is there to compare with (it is, beside CI's checkout).
  if (existsSync(SHARED_CRDS)) it('match the shared reference byte for byte', () => {
    for (const file of readdirSync(SHARED_CRDS).filter((f) => f.endsWith('.yaml'))) {
      expect([file, readFileSync(resolve(CRDS, file)).equals(readFileSync(resolve(SHARED_CRDS, file)))]).toEqual([file, true]);
    }
  });
});

describe('knative/base', () => {
  it.each(manifests.map((m) => [`${m.kind} ${m.metadata.name}`, m] as const))('%s validates against its upstream CRD', (_name, manifest) => {
    expect(validator.problems(manifest)).toEqual([]);
  });

  it('has a scale-to-zero Service for each of the six functions', () => {
    const services = ofKind('Service');
    expect(services.map((s) => s.metadata.name).sort()).toEqual(Object.keys(functions).sort());
    for (const service of services) {
      const template = service.spec['template'] as { metadata: { annotations: Record<string, string> } };
      expect(template.metadata.annotations['autoscaling.knative.dev/min-scale']).toBe('0');
    }
  });

  it('never puts a secret in a manifest: DATABASE_URL comes from a Secret', () => {
    for (const service of ofKind('Service')) {
      const env = ((service.spec['template'] as { spec: { containers: { env: { name: string; value?: string; valueFrom?: unknown }[] }[] } }).spec.containers[0]?.env ?? []);
      const url = env.find((e) => e.name === 'DATABASE_URL');
      expect(url?.value).toBeUndefined();
      expect(url?.valueFrom).toEqual({ secretKeyRef: { name: 'knpay-database', key: 'url' } });
    }
  });

  it('gives every PingSource data that the tick schema of the catalog accepts, and a sink that exists', () => {
    const services = new Set(ofKind('Service').map((s) => s.metadata.name));
    for (const ping of ofKind('PingSource')) {
      expect(catalog['dev.knative.sources.ping'].data.safeParse(JSON.parse(ping.spec['data'] as string)).success).toBe(true);
      expect(services.has((ping.spec['sink'] as { ref: { name: string } }).ref.name)).toBe(true);
    }
  });
});

function withTimeout(value: unknown): Manifest {
  const service = JSON.parse(JSON.stringify(ofKind('Service')[0])) as Manifest & { spec: { template: { spec: Record<string, unknown> } } };
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
      delivery: { retry: 5, backoffPolicy: 'exponential', backoffDelay: 'PT0.5S', deadLetterSink: { ref: { apiVersion: 'eventing.knative.dev/v1alpha1', kind: 'KafkaSink', name: 'dead-letters' } } },
      sink: { ref: { apiVersion: 'serving.knative.dev/v1', kind: 'Service', name: 'core' } },
    },
  };

  it('accepts a KafkaSource with a delivery policy', () => {
    expect(validator.problems(kafkaSource)).toEqual([]);
  });

  it.each([
    ['a KafkaSource without topics', { ...kafkaSource, spec: { ...kafkaSource.spec, topics: undefined } }, /topics/],
    ['a retry count that is not a number', { ...kafkaSource, spec: { ...kafkaSource.spec, delivery: { retry: 'five' } } }, /delivery\/retry/],
    ['a PingSource whose schedule is a number', { apiVersion: 'sources.knative.dev/v1', kind: 'PingSource', metadata: { name: 'x' }, spec: { schedule: 5 } }, /schedule/],
    ['a Service whose timeoutSeconds is text', withTimeout('long'), /timeoutSeconds: must be integer/],
    ['a kind no CRD serves', { apiVersion: 'sources.knative.dev/v9', kind: 'PingSource', metadata: { name: 'x' }, spec: {} }, /no CRD serves/],
  ])('rejects %s', (_name, manifest, problem) => {
    const problems = validator.problems(JSON.parse(JSON.stringify(manifest)) as Manifest);
    expect(problems.join('\n')).toMatch(problem);
  });
});
