import type { Manifest } from '../local/knative/manifests';
import { apiExists, kubectl, run } from './kubectl';

/** A check that passes (undefined) or refuses, naming what is missing and how to provide it. */
export type Check = () => string | undefined;

/** What installs each kind the manifests use: a missing CRD names the project to install (README). */
const providers: Record<string, string> = {
  'serving.knative.dev': 'Knative Serving',
  'sources.knative.dev/PingSource': 'Knative Eventing',
  'sources.knative.dev/ContainerSource': 'Knative Eventing',
  'sources.knative.dev/KafkaSource': "Knative Eventing's Kafka source (eventing-kafka-broker)",
  'eventing.knative.dev/KafkaSink': "Knative Eventing's Kafka sink (eventing-kafka-broker)",
  'kafka.strimzi.io': 'Strimzi',
};

export const registryCheck =
  (registry: string | undefined): Check =>
  () =>
    registry
      ? undefined
      : 'REGISTRY is not set: the image registry to push to, e.g. make deploy ENV=stage REGISTRY=ghcr.io/acme';

export const kubectlCheck: Check = () =>
  run('kubectl', ['version', '--client']).missing
    ? 'kubectl is not on PATH: install kubectl (1.30 or later) and select the cluster with kubectl config use-context'
    : undefined;

export const contextCheck: Check = () => {
  const context = kubectl(['config', 'current-context']);
  return context.status === 0 && context.stdout.trim()
    ? undefined
    : 'kubectl has no current context: select the cluster with kubectl config use-context <name> (or set KUBECONFIG)';
};

export const reachableCheck: Check = () => {
  const ready = kubectl(['get', '--raw', '/readyz']);
  if (ready.status === 0) return undefined;
  const context = kubectl(['config', 'current-context']).stdout.trim();
  return `the cluster of context ${context} does not answer: ${lastLine(ready.stderr)}`;
};

/** Every CRD the rendered objects need is installed (plural.group, as Kubernetes names a CRD). */
export const crdCheck =
  (manifests: Manifest[]): Check =>
  () => {
    const missing = new Map<string, string>();
    for (const m of manifests) {
      const group = m.apiVersion.includes('/') ? (m.apiVersion.split('/')[0] ?? '') : '';
      const provider = providers[`${group}/${m.kind}`] ?? providers[group];
      if (!provider) continue;
      const crd = `${m.kind.toLowerCase()}s.${group}`;
      const found = apiExists(`/apis/apiextensions.k8s.io/v1/customresourcedefinitions/${crd}`);
      if (typeof found === 'string') return `cannot read the cluster's CRDs: ${lastLine(found)}`;
      if (!found) missing.set(crd, provider);
    }
    if (missing.size === 0) return undefined;
    const lines = [...missing].map(([crd, provider]) => `  ${crd} (install ${provider})`);
    return `the cluster lacks CRDs the manifests use:\n${lines.join('\n')}`;
  };

/** The namespaces the objects go to, and the Secrets they read, exist (their values are never read). */
export const namespacesAndSecretsCheck =
  (manifests: Manifest[]): Check =>
  () => {
    const wanted = new Set<string>();
    for (const m of manifests) {
      const namespace = m.metadata.namespace ?? 'default';
      wanted.add(`/api/v1/namespaces/${namespace}`);
      for (const name of secretsReadBy(m)) wanted.add(`/api/v1/namespaces/${namespace}/secrets/${name}`);
    }
    const missing = [...wanted].filter((path) => apiExists(path) !== true);
    if (missing.length === 0) return undefined;
    const lines = missing.map(
      (path) => `  ${path.replace('/api/v1/namespaces/', '').replace('/secrets/', ': Secret ')}`,
    );
    return `missing in the cluster (README, "Deploy": the secrets to create):\n${lines.join('\n')}`;
  };

export const dockerCheck: Check = () => {
  const info = run('docker', ['info', '--format', '{{.ServerVersion}}']);
  if (info.missing) return 'docker is not on PATH: make deploy builds and pushes the image with Docker';
  return info.status === 0 ? undefined : `no Docker engine answers (docker info: ${lastLine(info.stderr)})`;
};

export const cleanTreeCheck: Check = () => {
  const status = run('git', ['status', '--porcelain']);
  if (status.status !== 0) return 'not a git checkout: the image is tagged with the commit it is built from';
  return status.stdout.trim()
    ? 'the work tree has uncommitted changes: the image is tagged with the commit, so it would not be what its ' +
        'tag says. Commit or stash them first'
    : undefined;
};

/** The first refusal of the checks, in order; later checks do not run (they would say less). */
export function firstRefusal(checks: Check[]): string | undefined {
  for (const check of checks) {
    const refusal = check();
    if (refusal) return refusal;
  }
  return undefined;
}

/** The Secrets a manifest's containers read and cannot start without (an optional reference may be absent). */
function secretsReadBy(manifest: Manifest): string[] {
  const names: string[] = [];
  JSON.stringify(manifest, (key, value: unknown) => {
    const ref = value as { name?: string; optional?: boolean } | null;
    if (key === 'secretKeyRef' && ref?.name && ref.optional !== true) names.push(ref.name);
    return value;
  });
  return names;
}

const lastLine = (text: string) => text.trim().split('\n').at(-1) ?? '';
