import { createServer, type Server } from 'node:http';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { crdDirectory } from '../../local/knative/manifests';
import { crds } from '../../ops/crds';
import { spawnTs } from '../helpers/process';

// make crds downloads each upstream CRD at its pinned commit and keeps it only if its sha256 is the
// pinned one. GitHub is not reachable here: a local HTTP server plays raw.githubusercontent.com, serving
// the CRDs this machine has (the same bytes), and once a tampered one.
const CRDS = crdDirectory();
const have = existsSync(CRDS);
if (!have) console.warn(`No upstream CRDs at ${CRDS}: make crds is not tested`);

let server: Server;
let base = '';
let tamper = '';
beforeAll(async () => {
  server = createServer((req, res) => {
    const crd = crds.find((c) => `/${c.source}` === req.url);
    if (!crd) {
      res.writeHead(404).end();
      return;
    }
    const bytes = readFileSync(join(CRDS, crd.file));
    res.end(crd.file === tamper ? Buffer.concat([bytes, Buffer.from('\n# changed\n')]) : bytes);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${String((server.address() as { port: number }).port)}`;
});
afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});

async function makeCrds(dir: string): Promise<{ code: number | null; output: string }> {
  const run = spawnTs('ops/crds.ts', [], { CRDS_BASE_URL: base, CRDS_DIR: dir });
  const { code } = await run.exited;
  return { code, output: run.output() };
}

(have ? describe : describe.skip)('make crds', () => {
  it('downloads every CRD at its pinned commit, byte for byte, and skips what it has', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'knpay-crds-'));
    try {
      tamper = '';
      const first = await makeCrds(dir);
      expect(first.code).toBe(0);
      expect(readdirSync(dir).sort()).toEqual(crds.map((c) => c.file).sort());
      for (const crd of crds) expect(readFileSync(join(dir, crd.file))).toEqual(readFileSync(join(CRDS, crd.file)));
      const again = await makeCrds(dir);
      expect(again.output).not.toContain(': ok');
      expect(again.output).toContain(`${String(crds.length)} CRDs in ${dir}`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);

  it('refuses a file whose sha256 is not the pinned one, and writes nothing for it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'knpay-crds-'));
    try {
      tamper = 'kafkatopic.kafka.strimzi.io.yaml';
      const { code, output } = await makeCrds(dir);
      expect(code).toBe(1);
      expect(output).toMatch(
        /1 refused:\nkafkatopic\.kafka\.strimzi\.io\.yaml: sha256 [0-9a-f]{64}, expected 36390f07/,
      );
      expect(existsSync(join(dir, tamper))).toBe(false);
      expect(readdirSync(dir)).toHaveLength(crds.length - 1);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
