import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import Ajv, { type ValidateFunction } from 'ajv';
import { parse, parseAllDocuments } from 'yaml';

export interface Manifest {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  spec: Record<string, unknown>;
}

/**
 * Knative's and Strimzi's kinds, which their CRDs describe (CrdValidator); Kubernetes' own (the
 * ConfigMap, the relay's Deployment) are checked against its schemas (validate-kubernetes.mjs).
 */
export const servedByCrd = (manifest: Manifest): boolean =>
  /(^|\.)(knative\.dev|strimzi\.io)\//.test(manifest.apiVersion);

/** Every object of a kustomization folder, in the order its `resources` list them. */
export function loadManifests(dir: string): Manifest[] {
  const kustomization = parse(readFileSync(join(dir, 'kustomization.yaml'), 'utf8')) as { resources?: string[] };
  return (kustomization.resources ?? []).flatMap((file) =>
    parseAllDocuments(readFileSync(join(dir, file), 'utf8'))
      .map((doc) => doc.toJS() as Manifest | null)
      .filter((doc): doc is Manifest => doc !== null),
  );
}

interface CustomResourceDefinition {
  spec: {
    group: string;
    names: { kind: string };
    versions: { name: string; served: boolean; schema?: { openAPIV3Schema?: object } }[];
  };
}

/**
 * Where the upstream CRDs are read from: $KNATIVE_CRDS_DIR, else the team's shared folder beside the
 * checkout (present for developers and CI), else what `make crds` downloaded (.crds/). The project
 * carries no copy of upstream files.
 */
export function crdDirectory(env: NodeJS.ProcessEnv = process.env): string {
  const given = env['KNATIVE_CRDS_DIR'];
  if (given) return resolve(given);
  const shared = resolve(__dirname, '../../../shared/knative-crds');
  return existsSync(shared) ? shared : resolve(__dirname, '../../.crds');
}

/**
 * Validates manifests against the upstream CRDs' openAPIV3Schema, offline (crdDirectory()).
 * Kubernetes' own extensions (x-kubernetes-*) and formats such as int32 are not JSON Schema
 * keywords ajv knows, so they are let through rather than rejected.
 */
export class CrdValidator {
  private readonly validators = new Map<string, ValidateFunction>();

  constructor(crdDir: string) {
    const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false });
    for (const file of readdirSync(crdDir).filter((f) => f.endsWith('.yaml'))) {
      const crd = parse(readFileSync(resolve(crdDir, file), 'utf8')) as CustomResourceDefinition;
      for (const version of crd.spec.versions) {
        const schema = version.schema?.openAPIV3Schema;
        if (version.served && schema)
          this.validators.set(`${crd.spec.group}/${version.name}:${crd.spec.names.kind}`, ajv.compile(schema));
      }
    }
  }

  /** The problems of one manifest, as "path: message" lines; empty when it is valid. */
  problems(manifest: Manifest): string[] {
    const validate = this.validators.get(`${manifest.apiVersion}:${manifest.kind}`);
    if (!validate) return [`no CRD serves ${manifest.apiVersion} ${manifest.kind}`];
    if (validate(manifest)) return [];
    return (validate.errors ?? []).map((e) => `${e.instancePath || '/'}: ${e.message ?? 'invalid'}`);
  }
}
