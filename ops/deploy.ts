import { parseArgs } from 'node:util';
import { answerHelp } from '../shared/cli/help';
import type { Manifest } from '../local/knative/manifests';
import { run } from './kubectl';
import {
  cleanTreeCheck,
  contextCheck,
  crdCheck,
  dockerCheck,
  firstRefusal,
  kubectlCheck,
  namespacesAndSecretsCheck,
  reachableCheck,
  registryCheck,
  type Check,
} from './preflight';
import { applyAndWait, dryRun, migrate, readRelease, recordRelease, splitMigration } from './release';
import { environments, parseManifests, render } from './render';

const USAGE = `usage: make render|deploy|rollback ENV=<${environments().join('|')}> [REGISTRY=<registry>]
  make render ENV=stage     print the overlay's manifests (no cluster needed); with REGISTRY, as deploy would
  make deploy ENV=stage     build and push $REGISTRY/knpay:<git sha>, run the migration Job, apply, wait Ready
  make rollback ENV=stage   apply the image deployed before the current one again, wait Ready
Each checks first (REGISTRY, kubectl, a context, a reachable cluster, its CRDs, the namespace and
Secrets, Docker) and refuses, naming what is missing, before it changes anything.`;

const log = (line: string) => {
  console.error(`deploy: ${line}`);
};

/** The commit the image is built from: its tag, so a tag always names the code in it. */
function commitTag(): string {
  const head = run('git', ['rev-parse', '--short=12', 'HEAD']);
  if (head.status !== 0) throw new Error('not a git checkout: the image is tagged with the commit it is built from');
  return head.stdout.trim();
}

const imageName = (registry: string | undefined, tag: string) => `${registry ? `${registry}/` : ''}knpay:${tag}`;

function refuseIf(checks: Check[]): void {
  const refusal = firstRefusal(checks);
  if (refusal) throw new Refusal(refusal);
}

class Refusal extends Error {}

/** Everything that must hold before the cluster is touched, for a given set of objects. */
const clusterChecks = (manifests: Manifest[]): Check[] => [
  kubectlCheck,
  contextCheck,
  reachableCheck,
  crdCheck(manifests),
  namespacesAndSecretsCheck(manifests),
];

async function deploy(env: string, registry: string | undefined): Promise<void> {
  refuseIf([registryCheck(registry), kubectlCheck]);
  const image = imageName(registry, commitTag());
  const manifests = parseManifests(render({ env, image }));
  const { job, rest } = splitMigration(manifests);
  const namespace = job?.metadata.namespace ?? 'default';
  refuseIf([...clusterChecks(manifests), () => dryRun(rest), dockerCheck, cleanTreeCheck]);

  log(`building ${image}`);
  for (const args of [
    ['build', '-t', image, '.'],
    ['push', image],
  ]) {
    const step = run('docker', args);
    if (step.status !== 0) throw new Error(`docker ${args[0] ?? ''} failed:\n${step.stderr.trim()}`);
  }
  const before = readRelease(namespace);
  if (job) await migrate(job, log);
  applyAndWait(rest, namespace, log);
  recordRelease(namespace, { image, ...(before && before.image !== image ? { previous: before.image } : {}) });
  log(`${env} runs ${image}${before ? ` (was ${before.image}; make rollback ENV=${env} returns to it)` : ''}`);
}

function rollback(env: string): void {
  refuseIf([kubectlCheck]);
  const placeholder = parseManifests(render({ env }));
  const namespace = placeholder.find((m) => m.kind === 'Job')?.metadata.namespace ?? 'default';
  refuseIf([...clusterChecks(placeholder)]);
  const release = readRelease(namespace);
  if (!release?.previous)
    throw new Refusal(
      `no earlier release is recorded in ${namespace} (ConfigMap knpay-release): nothing to roll back to`,
    );
  // The schema stays as it is: migrations only add (docs/deploy.md), so the earlier image runs on it.
  const { rest } = splitMigration(parseManifests(render({ env, image: release.previous })));
  applyAndWait(rest, namespace, log);
  recordRelease(namespace, { image: release.previous, previous: release.image });
  log(`${env} runs ${release.previous} again (rolled back from ${release.image})`);
}

async function main(): Promise<void> {
  answerHelp(USAGE);
  const { positionals, values } = parseArgs({ allowPositionals: true, options: { env: { type: 'string' } } });
  const [command] = positionals;
  const env = values.env ?? '';
  if (!environments().includes(env))
    throw new Refusal(`ENV must name an overlay: make ${command ?? 'deploy'} ENV=<${environments().join('|')}>`);
  const registry = process.env['REGISTRY'] || undefined;
  if (command === 'render') process.stdout.write(render({ env, image: imageName(registry, commitTag()) }));
  else if (command === 'deploy') await deploy(env, registry);
  else if (command === 'rollback') rollback(env);
  else throw new Refusal(USAGE);
}

main().catch((error: unknown) => {
  const command = process.argv[2] ?? 'deploy';
  const refused = error instanceof Refusal;
  console.error(`make ${command} ${refused ? 'refused' : 'failed'}: ${(error as Error).message}`);
  process.exit(refused ? 2 : 1);
});
