import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { answerHelp } from '../shared/cli/help';

/**
 * `make crds`: the upstream CRDs the manifests are validated against (local/knative/manifests.ts),
 * downloaded from each project's source tree at a pinned commit and checked against a pinned sha256,
 * into .crds/ (not committed: the project carries no copy of upstream files). The tests read them
 * from $KNATIVE_CRDS_DIR, else the team's shared folder, else .crds/.
 */
export const crds = [
  {
    file: 'service.serving.knative.dev.yaml',
    source: 'knative/serving/7ed4aa2ab601e3a33c6552285f6e0d910747351d/config/core/300-resources/service.yaml',
    sha256: '2df2faa748f4d8e9470a2a5e9f208d7310aa89fc8cad1f2b1b9941fefe3def33',
  },
  {
    file: 'domainmapping.serving.knative.dev.yaml',
    source: 'knative/serving/7ed4aa2ab601e3a33c6552285f6e0d910747351d/config/core/300-resources/domain-mapping.yaml',
    sha256: '6913d57ccee28f69a9eeffd932121a2359f9a24bb52aab537092922e16ecd874',
  },
  {
    file: 'pingsource.sources.knative.dev.yaml',
    source: 'knative/eventing/532b01f0cb2ce7bed271204697081e4264385531/config/core/resources/pingsource.yaml',
    sha256: '8586d3e05984e71de42289521fd33a03e84a391e890d6ab83ffa5aab9d77a1cf',
  },
  {
    file: 'containersource.sources.knative.dev.yaml',
    source: 'knative/eventing/532b01f0cb2ce7bed271204697081e4264385531/config/core/resources/containersource.yaml',
    sha256: 'cb2ec4dcddec89d0416509593c4fada6791b225dddf914bff17b1da2b2dc2653',
  },
  {
    file: 'kafkasource.sources.knative.dev.yaml',
    source:
      'knative-extensions/eventing-kafka-broker/2dcdd7c72a3d856ba137cef5a3a5c0a6d55fe58f/' +
      'control-plane/config/eventing-kafka-broker/100-source/100-kafka-source.yaml',
    sha256: '7e45f5706d6cd3933b54d787e0a4587c4b345d328c640d811b4651b77247cd09',
  },
  {
    file: 'kafkasink.eventing.knative.dev.yaml',
    source:
      'knative-extensions/eventing-kafka-broker/2dcdd7c72a3d856ba137cef5a3a5c0a6d55fe58f/' +
      'control-plane/config/eventing-kafka-broker/100-sink/100-kafka-sink.yaml',
    sha256: '7e65c5ae371b01fab2f3bca541f4ac2050f074ddded4190e90067bcc97d58acb',
  },
  {
    file: 'kafkatopic.kafka.strimzi.io.yaml',
    source:
      'strimzi/strimzi-kafka-operator/6c7b43c4af0db547c10463ba09d1dfa6f5e156a0/' +
      'packaging/install/cluster-operator/043-Crd-kafkatopic.yaml',
    sha256: '36390f0731c699448076d4ee739e8b7f331d083e91a7fb71500aaa830ab1127e',
  },
] as const;

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

async function main(): Promise<void> {
  answerHelp(
    'usage: make crds: downloads the upstream CRDs at pinned commits into .crds/, each checked by sha256\n' +
      '  CRDS_BASE_URL (https://raw.githubusercontent.com), CRDS_DIR (.crds)',
  );
  const base = process.env['CRDS_BASE_URL'] ?? 'https://raw.githubusercontent.com';
  const dir = resolve(process.env['CRDS_DIR'] ?? resolve(__dirname, '../.crds'));
  mkdirSync(dir, { recursive: true });
  const refused: string[] = [];
  for (const crd of crds) {
    const target = join(dir, crd.file);
    if (existsSync(target) && sha256(readFileSync(target)) === crd.sha256) continue;
    const res = await fetch(`${base}/${crd.source}`);
    if (!res.ok) {
      refused.push(`${crd.file}: ${base}/${crd.source} answered ${String(res.status)}`);
      continue;
    }
    const bytes = Buffer.from(await res.arrayBuffer());
    const got = sha256(bytes);
    if (got !== crd.sha256) {
      refused.push(`${crd.file}: sha256 ${got}, expected ${crd.sha256} (not written)`);
      continue;
    }
    writeFileSync(`${target}.part`, bytes);
    renameSync(`${target}.part`, target);
    console.log(`${crd.file}: ok`);
  }
  if (refused.length > 0) throw new Error(`make crds: ${String(refused.length)} refused:\n${refused.join('\n')}`);
  console.log(`${String(crds.length)} CRDs in ${dir}`);
}

// Run as `make crds`; imported by its test for the table.
if (require.main === module)
  main().catch((error: unknown) => {
    console.error((error as Error).message);
    process.exit(1);
  });
