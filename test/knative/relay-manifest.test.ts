import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { loadManifests, servedByCrd, type Manifest } from '../../local/knative/manifests';
import { ROOT } from '../helpers/process';

// The outbox relay in production: a Deployment and its disruption budget in knative/base, checked
// against Kubernetes' own schemas (the kubernetes-models package) and against what the relay is.
const manifests = loadManifests(resolve(ROOT, 'knative/base'));
const deployment = manifests.find((m) => m.kind === 'Deployment' && m.metadata.name === 'outbox-relay');
const budget = manifests.find((m) => m.kind === 'PodDisruptionBudget' && m.metadata.name === 'outbox-relay');

/** The problems local/knative/validate-kubernetes.mjs finds (Kubernetes' schemas), one per line. */
const problems = (objects: unknown[]): string[] =>
  execFileSync(process.execPath, [resolve(ROOT, 'local/knative/validate-kubernetes.mjs')], {
    cwd: ROOT,
    input: JSON.stringify(objects),
    encoding: 'utf8',
  })
    .split('\n')
    .filter(Boolean);

interface Container {
  command: string[];
  env: { name: string; value?: string; valueFrom?: unknown }[];
  readinessProbe: { httpGet: { path: string } };
  livenessProbe: { httpGet: { path: string } };
}

describe('the outbox relay in knative/base', () => {
  it('is a valid Deployment of two replicas with a budget that keeps one', () => {
    const kubernetesKinds = manifests.filter((m: Manifest) => !servedByCrd(m));
    expect(kubernetesKinds.map((m) => m.kind).sort()).toEqual([
      'ConfigMap',
      'Deployment',
      'Job',
      'PodDisruptionBudget',
    ]);
    expect(problems(kubernetesKinds)).toEqual([]);
    expect(deployment?.spec['replicas']).toBe(2);
    expect(budget?.spec).toMatchObject({ minAvailable: 1 });
  });

  it('runs the bundled relay, probed where the relay answers, with DATABASE_URL from the Secret', () => {
    const [container] = (deployment?.spec['template'] as { spec: { containers: Container[] } }).spec.containers;
    const script = container?.command.find((part) => part.endsWith('.js')) ?? '';
    // make test builds before it tests: the file the container runs is there.
    expect(script).toBe('dist/bin/relay.js');
    expect(existsSync(resolve(ROOT, script))).toBe(true);
    expect(container?.readinessProbe.httpGet.path).toBe('/health/readiness');
    expect(container?.livenessProbe.httpGet.path).toBe('/health/liveness');
    const url = container?.env.find((e) => e.name === 'DATABASE_URL');
    expect(url?.value).toBeUndefined();
    expect(url?.valueFrom).toEqual({ secretKeyRef: { name: 'knpay-database', key: 'url' } });
  });

  it('would be refused broken (the check can fail)', () => {
    const broken = { ...deployment, spec: { ...deployment?.spec, replicas: 'two' } };
    expect(problems([broken])).toEqual(['Deployment outbox-relay: data/spec/replicas must be integer']);
    expect(problems([{ apiVersion: 'apps/v9', kind: 'Deployment', metadata: { name: 'x' } }])).toEqual([
      'Deployment x: no Kubernetes model for apps/v9 Deployment',
    ]);
  });
});
