import type { Logger } from 'pino';
import { containerProcess, type ContainerSpec, type ContainerValues } from './container';
import { resolveSink, type Destination } from './destination';
import type { Manifest } from './manifests';
import { PodProcess } from './pod';

export interface PodOptions extends ContainerValues {
  log: Logger;
  onLine?: (name: string, line: string) => void;
}

interface PodTemplate {
  template: { spec: { containers: ContainerSpec[] } };
}

/**
 * The manifests' always-running pods as local processes, each kept running: a ContainerSource's
 * (given K_SINK and K_CE_OVERRIDES, as Knative does) and every replica of a Deployment (the outbox
 * relay's two: one holds the lease and publishes, the other stands by, as in production).
 */
export function startPods(manifests: Manifest[], options: PodOptions, sinkUrls: Map<string, string>): PodProcess[] {
  const pods: PodProcess[] = [];
  const start = (name: string, manifest: Manifest, extraEnv: Record<string, string>) => {
    const { template } = manifest.spec as unknown as PodTemplate;
    const owner = `${manifest.kind} ${manifest.metadata.name}`;
    const container = containerProcess(owner, template.spec.containers[0] ?? {}, options);
    const pod = new PodProcess(
      {
        ...container,
        env: { ...container.env, ...extraEnv },
        name,
        ...(options.onLine ? { onLine: (line: string) => options.onLine?.(name, line) } : {}),
      },
      options.log,
    );
    pod.start();
    pods.push(pod);
  };
  for (const manifest of manifests.filter((m) => m.kind === 'ContainerSource')) {
    const spec = manifest.spec as { sink: Destination; ceOverrides?: { extensions?: Record<string, string> } };
    const sinkUrl = resolveSink(spec.sink, sinkUrls, `ContainerSource ${manifest.metadata.name}`) ?? '';
    start(manifest.metadata.name, manifest, {
      K_SINK: sinkUrl,
      ...(spec.ceOverrides ? { K_CE_OVERRIDES: JSON.stringify(spec.ceOverrides) } : {}),
    });
  }
  for (const manifest of manifests.filter((m) => m.kind === 'Deployment')) {
    const replicas = (manifest.spec['replicas'] as number | undefined) ?? 1;
    // Each pod has its own network in a cluster; here each replica takes a free port of its own.
    for (let i = 0; i < replicas; i++) start(`${manifest.metadata.name}-${String(i)}`, manifest, { PORT: '0' });
  }
  return pods;
}
