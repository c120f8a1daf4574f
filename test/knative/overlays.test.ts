import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { functions, type FunctionName } from '../../functions/registry';
import { catalog, topics } from '../../shared/events';
import { runtimeConfigSchema } from '../../shared/config/runtime';
import { crdDirectory, CrdValidator, servedByCrd, type Manifest } from '../../local/knative/manifests';
import { environments, parseManifests, render } from '../../ops/render';
import { ROOT } from '../helpers/process';
import {
  containersOf,
  functionOf,
  isPublicService,
  referencesOf,
  secretLeaks,
  SECRET_ENV,
  serveOf,
} from '../helpers/manifest-rules';

// Every overlay as make deploy would apply it (kustomize, with an image set), each object checked against
// its schema (Knative's and Strimzi's CRDs; Kubernetes' own through kubernetes-models), then the
// project's rules across objects. The KEDA component is rendered on top of prod as an operator would.
const IMAGE = 'registry.example.com/knpay:0123456789ab';
const CRDS = crdDirectory();
const validator = existsSync(CRDS) ? new CrdValidator(CRDS) : undefined;
if (!validator) console.warn(`No upstream CRDs at ${CRDS} (set KNATIVE_CRDS_DIR): the CRD schema checks are skipped`);

const renders = [
  ...environments().map((env) => ({ name: env, env, components: [] as string[] })),
  { name: 'prod + keda', env: 'prod', components: ['keda'] },
].map(({ name, env, components }) => ({
  name,
  env,
  manifests: parseManifests(render({ env, image: IMAGE, components })),
}));

/** The problems local/knative/validate-kubernetes.mjs finds (Kubernetes' schemas), one per line. */
const kubernetesProblems = (objects: unknown[]): string[] =>
  execFileSync(process.execPath, [resolve(ROOT, 'local/knative/validate-kubernetes.mjs')], {
    cwd: ROOT,
    input: JSON.stringify(objects),
    encoding: 'utf8',
  })
    .split('\n')
    .filter(Boolean);

it('has the three environments make deploy names', () => {
  expect(environments()).toEqual(['dev', 'prod', 'stage']);
});

describe.each(renders)('knative/overlays: $name', ({ manifests }) => {
  const ofKind = (kind: string) => manifests.filter((m) => m.kind === kind);
  const knativeServices = ofKind('Service').filter((m) => m.apiVersion === 'serving.knative.dev/v1');

  (validator ? it : it.skip)('validates every Knative and Strimzi object against its upstream CRD', () => {
    const problems = manifests.filter(servedByCrd).flatMap((m) => {
      const found = validator?.problems(m) ?? [];
      return found.map((problem) => `${m.kind} ${m.metadata.name}: ${problem}`);
    });
    expect(problems).toEqual([]);
  });

  it("validates every Kubernetes object against Kubernetes' schemas", () => {
    expect(kubernetesProblems(manifests.filter((m) => !servedByCrd(m)))).toEqual([]);
  });

  it('has a Service for every function, and runs the one image everywhere', () => {
    expect([...new Set(knativeServices.map(functionOf))].sort()).toEqual(Object.keys(functions).sort());
    const images = new Set(manifests.flatMap((m) => containersOf(m).map((c) => c.image)));
    expect([...images]).toEqual([IMAGE]);
  });

  it('puts every event type a function handles on a topic one of its KafkaSources reads', async () => {
    const missing: string[] = [];
    for (const name of Object.keys(functions) as FunctionName[]) {
      const { handle } = await functions[name]();
      const services = new Set(knativeServices.filter((s) => functionOf(s) === name).map((s) => s.metadata.name));
      const read = new Set(
        ofKind('KafkaSource')
          .filter((source) => services.has((source.spec['sink'] as { ref: { name: string } }).ref.name))
          .flatMap((source) => source.spec['topics'] as string[]),
      );
      const pinged = ofKind('PingSource').some((ping) =>
        services.has((ping.spec['sink'] as { ref: { name: string } }).ref.name),
      );
      for (const type of handle.types) {
        const topic = catalog[type].topic;
        if (topic === null ? !pinged : !read.has(topic)) missing.push(`${name}: ${type} (${topic ?? 'PingSource'})`);
      }
    }
    expect(missing).toEqual([]);
  });

  it('names only objects that exist in every sink, dead-letter sink and domain mapping', () => {
    const exists = new Set(manifests.map((m) => `${m.apiVersion} ${m.kind} ${m.metadata.name}`));
    const references = manifests.flatMap(referencesOf);
    expect(references.length).toBeGreaterThan(10);
    expect(references.filter((ref) => !exists.has(ref.target)).map((ref) => `${ref.from} → ${ref.target}`)).toEqual([]);
  });

  it('puts no secret value in any manifest: secrets come from Secrets by name', () => {
    expect(ofKind('Secret')).toEqual([]);
    const inlined = manifests.flatMap((m) =>
      containersOf(m).flatMap((c) =>
        (c.env ?? [])
          .filter((e) => SECRET_ENV.has(e.name) && (e.value !== undefined || !e.valueFrom?.secretKeyRef))
          .map((e) => `${m.kind} ${m.metadata.name}: ${e.name}`),
      ),
    );
    expect(inlined).toEqual([]);
    expect(secretLeaks(JSON.stringify(manifests))).toEqual([]);
  });

  it('gives each process a grace period at least its shutdown deadline', () => {
    const defaultDeadline = runtimeConfigSchema.shape.SHUTDOWN_TIMEOUT_MS.parse(undefined) / 1000;
    const short: string[] = [];
    for (const m of manifests) {
      const pod = (
        (m.spec as Record<string, unknown> | undefined)?.['template'] as { spec?: Record<string, unknown> } | undefined
      )?.spec;
      if (!pod || m.kind === 'Job') continue;
      const deadlines = containersOf(m).map((c) => {
        const set = c.env?.find((e) => e.name === 'SHUTDOWN_TIMEOUT_MS')?.value;
        return set === undefined ? defaultDeadline : Number(set) / 1000;
      });
      // Knative gives a revision's pods its request timeout as their grace period; elsewhere the pod's own
      // (Kubernetes' default, 30 s, when unset).
      const grace =
        m.kind === 'Service'
          ? (pod['timeoutSeconds'] as number)
          : ((pod['terminationGracePeriodSeconds'] as number | undefined) ?? 30);
      if (grace < Math.max(...deadlines)) short.push(`${m.kind} ${m.metadata.name}: ${grace} s`);
    }
    expect(short).toEqual([]);
  });

  it('has a KafkaTopic for every topic, with its partitions, on the cluster the sources read', () => {
    const kafkaTopics = ofKind('KafkaTopic');
    const declared = Object.values(topics).map((t) => `${t.name}/${t.partitions}`);
    const manifested = kafkaTopics.map((t) => `${t.spec['topicName'] as string}/${t.spec['partitions'] as number}`);
    expect(manifested.sort()).toEqual(declared.sort());
    // Strimzi names a cluster's bootstrap Service <cluster>-kafka-bootstrap, in the cluster's namespace.
    const bootstrap = new Set(
      kafkaTopics.map(
        (t) => `${t.metadata.labels?.['strimzi.io/cluster'] ?? ''}-kafka-bootstrap.${t.metadata.namespace ?? ''}:9092`,
      ),
    );
    const relay = ofKind('Deployment').find((d) => d.metadata.name === 'outbox-relay');
    const used = [
      ...manifests.filter((m) => /^Kafka(Source|Sink)$/.test(m.kind)).flatMap((m) => m.spec['bootstrapServers']),
      ...(relay ? containersOf(relay) : []).map((c) => c.env?.find((e) => e.name === 'KAFKA_BROKERS')?.value),
    ];
    expect(new Set(used)).toEqual(bootstrap);
  });

  it('maps a domain to every public Service, and every public Service serves the API only', () => {
    const mapped = new Set(ofKind('DomainMapping').map((d) => (d.spec['ref'] as { name: string }).name));
    const publicServices = knativeServices.filter(isPublicService);
    expect(publicServices.map((s) => s.metadata.name).sort()).toEqual([...mapped].sort());
    for (const service of publicServices) expect(serveOf(service)).toBe('api');
  });

  it('keeps every knpay object in one namespace and the topics in the Kafka cluster’s', () => {
    const namespaces = new Set(manifests.filter((m) => m.kind !== 'KafkaTopic').map((m) => m.metadata.namespace));
    expect(namespaces.size).toBe(1);
    expect([...namespaces][0]).toMatch(/^knpay/);
  });
});

describe('the checks can fail', () => {
  const [first] = renders;
  const manifests = first?.manifests ?? [];

  it('finds a secret inlined as a value, and a connection string anywhere', () => {
    expect(secretLeaks(JSON.stringify({ url: 'postgres://knpay@db:5432/knpay' }))).toEqual(['a PostgreSQL URL']);
    expect(secretLeaks('smtp://user:pass@mail.example.com:587')).toEqual(['a URL with a password']);
    expect(secretLeaks(JSON.stringify(manifests))).toEqual([]);
  });

  it('finds a sink that names nothing', () => {
    const source = manifests.find((m) => m.kind === 'KafkaSource') as Manifest;
    const broken = { ...source, spec: { ...source.spec, sink: { ref: { ...sinkRef(source), name: 'nobody' } } } };
    const exists = new Set(manifests.map((m) => `${m.apiVersion} ${m.kind} ${m.metadata.name}`));
    expect(referencesOf(broken).filter((ref) => !exists.has(ref.target))).toHaveLength(1);
  });
});

function sinkRef(source: Manifest): Record<string, string> {
  return (source.spec['sink'] as { ref: Record<string, string> }).ref;
}
