import type { Manifest } from '../local/knative/manifests';
import { kubectl, kubectlOrFail } from './kubectl';

const MIGRATION_JOB = 'knpay-migrate';
const RELEASE_RECORD = 'knpay-release';
const WAIT = '300s';

export interface Release {
  image: string;
  previous?: string;
}

/** What make deploy recorded in the namespace: the image running and the one before it. */
export function readRelease(namespace: string): Release | undefined {
  const found = kubectl(['get', '--raw', `/api/v1/namespaces/${namespace}/configmaps/${RELEASE_RECORD}`]);
  if (found.status !== 0) return undefined;
  const data = (JSON.parse(found.stdout) as { data?: Record<string, string> }).data ?? {};
  if (!data['image']) return undefined;
  return { image: data['image'], ...(data['previous'] ? { previous: data['previous'] } : {}) };
}

export function recordRelease(namespace: string, release: Release): void {
  const record = {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: RELEASE_RECORD, namespace, labels: { 'app.kubernetes.io/part-of': 'knpay' } },
    data: { image: release.image, ...(release.previous ? { previous: release.previous } : {}) },
  };
  kubectlOrFail(['apply', '-f', '-'], JSON.stringify(record));
}

/** The migration Job apart from everything else: it runs, and must succeed, before anything else changes. */
export function splitMigration(manifests: Manifest[]): { job?: Manifest; rest: Manifest[] } {
  const job = manifests.find((m) => m.kind === 'Job' && m.metadata.name === MIGRATION_JOB);
  return { ...(job ? { job } : {}), rest: manifests.filter((m) => m !== job) };
}

/**
 * Replaces the Job (its pod template cannot change between images) and waits for it to complete. A
 * failure throws with the Job's log: nothing else has been applied.
 */
export async function migrate(job: Manifest, log: (line: string) => void): Promise<void> {
  const namespace = job.metadata.namespace ?? 'default';
  kubectlOrFail(['delete', 'job', MIGRATION_JOB, '-n', namespace, '--ignore-not-found', '--wait=true']);
  kubectlOrFail(['apply', '-f', '-'], JSON.stringify(job));
  log(`migration Job ${namespace}/${MIGRATION_JOB} started`);
  for (;;) {
    const status = (
      JSON.parse(kubectlOrFail(['get', 'job', MIGRATION_JOB, '-n', namespace, '-o', 'json'])) as {
        status?: { conditions?: { type: string; status: string }[] };
      }
    ).status;
    const done = status?.conditions?.find((c) => c.status === 'True' && (c.type === 'Complete' || c.type === 'Failed'));
    if (done?.type === 'Complete') return;
    if (done?.type === 'Failed') {
      const logs = kubectl(['logs', `job/${MIGRATION_JOB}`, '-n', namespace, '--tail=200']);
      throw new Error(`the migration failed; nothing else was applied. Its log:\n${logs.stdout || logs.stderr}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 2_000));
  }
}

/** Applies the objects and waits until every Knative Service is Ready and the relay has rolled out. */
export function applyAndWait(manifests: Manifest[], namespace: string, log: (line: string) => void): void {
  kubectlOrFail(['apply', '-f', '-'], toList(manifests));
  log(`applied ${manifests.length} objects; waiting for every Service to be Ready`);
  kubectlOrFail(['wait', '--for=condition=Ready', 'ksvc', '--all', '-n', namespace, `--timeout=${WAIT}`]);
  for (const relay of manifests.filter((m) => m.kind === 'Deployment'))
    kubectlOrFail(['rollout', 'status', `deployment/${relay.metadata.name}`, '-n', namespace, `--timeout=${WAIT}`]);
}

/** The server's own validation of every object (admission webhooks included), changing nothing. */
export function dryRun(manifests: Manifest[]): string | undefined {
  const result = kubectl(['apply', '--dry-run=server', '-f', '-'], toList(manifests));
  return result.status === 0 ? undefined : `the cluster refuses the manifests:\n${result.stderr.trim()}`;
}

const toList = (manifests: Manifest[]) => JSON.stringify({ apiVersion: 'v1', kind: 'List', items: manifests });
