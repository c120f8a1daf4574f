import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parse } from 'yaml';
import { ROOT } from '../helpers/process';

// GitHub Actions cannot run here: the workflow is checked for what it must do. Every push runs the
// README's test command against a PostgreSQL service; a tag deploys, only after the tests pass.
interface Job {
  if?: string;
  needs?: string | string[];
  services?: Record<string, { image: string; env?: Record<string, string>; ports?: string[] }>;
  steps: { run?: string; uses?: string; with?: Record<string, string> }[];
}
const workflow = parse(readFileSync(resolve(ROOT, '.github/workflows/ci.yml'), 'utf8')) as {
  on: { push: { branches: string[]; tags: string[] } };
  jobs: Record<string, Job>;
};
const runs = (job: Job | undefined) => (job?.steps ?? []).flatMap((step) => (step.run ? [step.run.trim()] : []));

it('runs make test, and the suite on the production Node, on every push, against PostgreSQL', () => {
  expect(workflow.on.push.branches).toEqual(['**']);
  const test = workflow.jobs['test'];
  expect(runs(test)).toEqual(['make test', 'make test-lts']);
  expect(test?.if).toBeUndefined();
  const postgres = test?.services?.['postgres'];
  expect(postgres?.image).toMatch(/^postgres:\d+$/);
  expect(postgres?.env?.['POSTGRES_HOST_AUTH_METHOD']).toBe('trust');
  expect(postgres?.ports).toEqual(['5432:5432']);
  const node = test?.steps.find((step) => step.uses?.startsWith('actions/setup-node'));
  expect(node?.with?.['node-version']).toBe('20.19');
});

it('deploys on a tag, after the tests, with make deploy and a registry', () => {
  expect(workflow.on.push.tags).toEqual(['v*']);
  const deploy = workflow.jobs['deploy'];
  expect(deploy?.if).toBe("startsWith(github.ref, 'refs/tags/v')");
  expect(deploy?.needs).toBe('test');
  expect(runs(deploy).at(-1)).toMatch(/^make deploy ENV=prod REGISTRY=ghcr\.io\/\$\{\{ github\.repository_owner \}\}$/);
  // The cluster's credentials come from the repository's secrets, never from the file.
  expect(JSON.stringify(deploy)).toContain('secrets.KUBECONFIG');
});
