import { execFileSync, spawn } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { freePort } from '../../local/net';
import { ROOT } from '../helpers/process';

// make deploy and make rollback check before they change anything, and refuse naming what is missing.
// No Kubernetes cluster runs here: where a check needs one to answer, a local HTTP server plays the
// Kubernetes API (the few GET paths the checks read) and records every request, so the test also sees
// that a refused deploy sent nothing but reads. kubectl itself is the real one.
const dir = mkdtempSync(join(tmpdir(), 'knpay-deploy-'));
const CRDS = [
  'services.serving.knative.dev',
  'pingsources.sources.knative.dev',
  'kafkasources.sources.knative.dev',
  'kafkasinks.eventing.knative.dev',
  'containersources.sources.knative.dev',
  'domainmappings.serving.knative.dev',
  'kafkatopics.kafka.strimzi.io',
];

// The Secrets the manifests need; the inbound providers' (knpay-providers) is optional and may be absent.
const SECRETS = ['knpay-database', 'knpay-chain', 'knpay-wallet', 'knpay-webhooks', 'knpay-smtp'];

/** The Kubernetes API as the checks read it: which CRDs, namespaces and Secrets exist. */
class KubeApi {
  readonly requests: string[] = [];
  crds = new Set<string>();
  objects = new Set<string>();
  private server?: Server;
  port = 0;

  async start(): Promise<void> {
    const server = createServer((req, res) => {
      this.requests.push(`${req.method ?? ''} ${req.url ?? ''}`);
      const path = (req.url ?? '').split('?')[0] ?? '';
      const crd = /^\/apis\/apiextensions\.k8s\.io\/v1\/customresourcedefinitions\/(.+)$/.exec(path)?.[1];
      const found = path === '/readyz' || (crd ? this.crds.has(crd) : this.objects.has(path));
      res.writeHead(found ? 200 : 404, { 'content-type': 'application/json' });
      res.end(JSON.stringify(found ? {} : { kind: 'Status', status: 'Failure', reason: 'NotFound', code: 404 }));
    });
    this.server = server;
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    this.port = (server.address() as { port: number }).port;
  }

  async stop(): Promise<void> {
    await new Promise((resolve) => this.server?.close(resolve));
  }
}

function kubeconfig(name: string, server: string | undefined): string {
  const file = join(dir, name);
  const config = server
    ? {
        apiVersion: 'v1',
        kind: 'Config',
        clusters: [{ name: 'test', cluster: { server } }],
        users: [{ name: 'test', user: { token: 'not-a-secret' } }],
        contexts: [{ name: 'test-cluster', context: { cluster: 'test', user: 'test' } }],
        'current-context': 'test-cluster',
      }
    : { apiVersion: 'v1', kind: 'Config' };
  writeFileSync(file, stringify(config));
  return file;
}

/** `make <target> ENV=stage` with the given environment; what it printed and its exit status. */
function make(
  target: string,
  env: Record<string, string | undefined>,
): Promise<{ status: number | null; output: string }> {
  return new Promise((resolve) => {
    // make by its full path: a test takes kubectl off PATH.
    const child = spawn('/usr/bin/make', ['-s', target, 'ENV=stage'], {
      cwd: ROOT,
      env: { ...process.env, REGISTRY: undefined, KUBECONFIG: kubeconfig('none.yaml', undefined), ...env },
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('close', (status) => {
      resolve({ status, output });
    });
  });
}

jest.setTimeout(60_000);
const api = new KubeApi();
beforeAll(() => api.start());
afterAll(async () => {
  await api.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('make deploy refuses before changing anything', () => {
  it('without REGISTRY', async () => {
    const { status, output } = await make('deploy', {});
    expect(status).toBe(2);
    expect(output).toContain('make deploy refused: REGISTRY is not set');
  });

  it('without kubectl', async () => {
    // A PATH with what make needs to run the script, and no kubectl.
    const bin = mkdtempSync(join(dir, 'bin-'));
    for (const tool of ['node', 'npx', 'git', 'sh', 'env']) symlinkSync(which(tool), join(bin, tool));
    const { status, output } = await make('deploy', { REGISTRY: 'registry.example.com', PATH: bin });
    expect(status).toBe(2);
    expect(output).toContain('make deploy refused: kubectl is not on PATH');
  });

  it('without a context', async () => {
    const { output } = await make('deploy', { REGISTRY: 'registry.example.com' });
    expect(output).toContain('make deploy refused: kubectl has no current context');
  });

  it('without a reachable cluster', async () => {
    const closed = await freePort();
    const { status, output } = await make('deploy', {
      REGISTRY: 'registry.example.com',
      KUBECONFIG: kubeconfig('closed.yaml', `http://127.0.0.1:${closed}`),
    });
    expect(status).toBe(2);
    expect(output).toMatch(/make deploy refused: the cluster of context test-cluster does not answer: .*refused/);
  });

  it("without Knative's and Strimzi's CRDs, naming what to install", async () => {
    api.crds = new Set(CRDS.filter((crd) => !/kafka/.test(crd)));
    const { status, output } = await make('deploy', {
      REGISTRY: 'registry.example.com',
      KUBECONFIG: kubeconfig('api.yaml', `http://127.0.0.1:${api.port}`),
    });
    expect(status).toBe(2);
    expect(output).toContain('make deploy refused: the cluster lacks CRDs the manifests use:');
    expect(output).toContain("kafkasources.sources.knative.dev (install Knative Eventing's Kafka source");
    expect(output).toContain("kafkasinks.eventing.knative.dev (install Knative Eventing's Kafka sink");
    expect(output).toContain('kafkatopics.kafka.strimzi.io (install Strimzi)');
    expect(output).not.toContain('services.serving.knative.dev');
  });

  it('without the namespace or the Secrets, naming each (and never reading a Secret’s value)', async () => {
    api.crds = new Set(CRDS);
    api.objects = new Set(['/api/v1/namespaces/knpay-stage', '/api/v1/namespaces/kafka-stage']);
    api.requests.length = 0;
    const { status, output } = await make('deploy', {
      REGISTRY: 'registry.example.com',
      KUBECONFIG: kubeconfig('api.yaml', `http://127.0.0.1:${api.port}`),
    });
    expect(status).toBe(2);
    for (const secret of SECRETS) expect(output).toContain(`knpay-stage: Secret ${secret}`);
    expect(output).not.toContain('knpay-providers');
    expect(output).not.toContain('kafka-stage:');
    expect(api.requests.length).toBeGreaterThan(0);
    expect(api.requests.filter((request) => !request.startsWith('GET '))).toEqual([]);
  });
});

describe('make rollback refuses', () => {
  it('when no earlier release is recorded', async () => {
    api.crds = new Set(CRDS);
    api.objects = new Set(
      ['knpay-stage', 'kafka-stage']
        .map((ns) => `/api/v1/namespaces/${ns}`)
        .concat(SECRETS.map((secret) => `/api/v1/namespaces/knpay-stage/secrets/${secret}`)),
    );
    const { status, output } = await make('rollback', {
      KUBECONFIG: kubeconfig('api.yaml', `http://127.0.0.1:${api.port}`),
    });
    expect([status, output.trim().split('\n')[0]]).toEqual([
      2,
      'make rollback refused: no earlier release is recorded in knpay-stage (ConfigMap knpay-release): nothing to roll back to',
    ]);
  });
});

function which(tool: string): string {
  return execFileSync('bash', ['-c', `command -v ${tool}`], { encoding: 'utf8' }).trim();
}
