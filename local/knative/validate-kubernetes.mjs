// Validates Kubernetes' own kinds (a Deployment, a Job, a PodDisruptionBudget ...) against the upstream
// OpenAPI schemas as the kubernetes-models package carries them. That package is ES modules only,
// so this runs as its own Node process: JSON manifests on stdin, one problem per line on stdout
// ("<kind> <name>: <message>"), nothing when all are valid. Knative's kinds are checked against its
// CRDs instead (local/knative/manifests.ts).
import { text } from 'node:stream/consumers';

const modules = {
  'apps/v1': () => import('kubernetes-models/apps/v1'),
  'batch/v1': () => import('kubernetes-models/batch/v1'),
  'policy/v1': () => import('kubernetes-models/policy/v1'),
  v1: () => import('kubernetes-models/v1'),
};

const manifests = JSON.parse(await text(process.stdin));
for (const manifest of manifests) {
  const name = `${manifest.kind} ${manifest.metadata?.name ?? '(no name)'}`;
  const load = modules[manifest.apiVersion];
  const Model = load ? (await load())[manifest.kind] : undefined;
  if (!Model) {
    console.log(`${name}: no Kubernetes model for ${manifest.apiVersion} ${manifest.kind}`);
    continue;
  }
  try {
    new Model(manifest).validate();
  } catch (error) {
    console.log(`${name}: ${error.message.replaceAll('\n', ' ')}`);
  }
}
