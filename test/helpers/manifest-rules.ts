import type { Manifest } from '../../local/knative/manifests';
import { providers } from '../../functions/webhooks/inbound/providers';

export interface Container {
  name: string;
  image: string;
  command?: string[];
  env?: { name: string; value?: string; valueFrom?: { secretKeyRef?: unknown; configMapKeyRef?: unknown } }[];
}

/**
 * The variables that hold a secret (a credential, a key, or a URL that carries one): a manifest may
 * only take them from a Secret. The inbound providers' signing keys are named by their modules.
 */
export const SECRET_ENV = new Set([
  'DATABASE_URL',
  'CHAIN_RPC_URL',
  'DEPOSIT_XPUB',
  'SMTP_URL',
  'WEBHOOK_SECRET_KEY',
  ...Object.values(providers).map((provider) => provider.secretVariable),
]);

/** What leaks a secret wherever it appears in a manifest, by what it looks like. */
const leakPatterns: [string, RegExp][] = [
  ['a PostgreSQL URL', /postgres(ql)?:\/\//i],
  ['a URL with a password', /[a-z][a-z0-9+.-]*:\/\/[^/\s"@:]+:[^/\s"@]+@/i],
  ['an extended key', /\b[xt]p(ub|rv)[1-9A-HJ-NP-Za-km-z]{100,}/],
  ['a private key', /-----BEGIN [A-Z ]*PRIVATE KEY-----/],
  ['a raw 32-byte hex key', /\b(0x)?[0-9a-f]{64}\b/i],
];

export function secretLeaks(text: string): string[] {
  return leakPatterns.filter(([, pattern]) => pattern.test(text)).map(([what]) => what);
}

/** The containers of any object that runs a pod: Services, Deployments, Jobs and ContainerSources alike. */
export function containersOf(manifest: Manifest): Container[] {
  // A ConfigMap has no spec.
  const spec = manifest.spec as Record<string, unknown> | undefined;
  const template = spec?.['template'] as { spec?: { containers?: Container[] } } | undefined;
  return template?.spec?.containers ?? [];
}

/** The function a Knative Service runs: the launcher's argument. */
export function functionOf(service: Manifest): string {
  return containersOf(service)[0]?.command?.at(-1) ?? '';
}

/** What a Knative Service serves (SERVE): `api` on a public one, `events` on a cluster-local one. */
export function serveOf(service: Manifest): string | undefined {
  return containersOf(service)[0]?.env?.find((e) => e.name === 'SERVE')?.value;
}

export const isPublicService = (service: Manifest): boolean =>
  service.metadata.labels?.['networking.knative.dev/visibility'] !== 'cluster-local';

interface Reference {
  apiVersion: string;
  kind: string;
  name: string;
}

/** Every object a manifest points at (sink, dead-letter sink, mapped Service), as "apiVersion kind name". */
export function referencesOf(manifest: Manifest): { from: string; target: string }[] {
  const spec = manifest.spec as {
    sink?: { ref?: Reference };
    delivery?: { deadLetterSink?: { ref?: Reference } };
    ref?: Reference;
  } | null;
  const from = `${manifest.kind} ${manifest.metadata.name}`;
  return [
    spec?.sink?.ref,
    spec?.delivery?.deadLetterSink?.ref,
    manifest.kind === 'DomainMapping' ? spec?.ref : undefined,
  ]
    .filter((ref): ref is Reference => ref !== undefined)
    .map((ref) => ({ from, target: `${ref.apiVersion} ${ref.kind} ${ref.name}` }));
}
