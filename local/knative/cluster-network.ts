import { randomBytes } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

/**
 * One machine has no cluster network, so this stands for it. In Knative, a Service labelled
 * `networking.knative.dev/visibility: cluster-local` has no route on the public ingress: only pods
 * inside the cluster (the sources' dispatchers) reach it. Here, such a Service's stable URL answers
 * only requests carrying the platform's credential, which the emulator's own sources add; any other
 * request gets the 404 an ingress gives a host it does not route.
 */
export const CLUSTER_HEADER = 'x-knative-emulator-cluster';

export const CLUSTER_LOCAL_LABEL = 'networking.knative.dev/visibility';

/** A credential for one run of the platform: what being inside its cluster means here. */
export function newClusterCredential(): Record<string, string> {
  return { [CLUSTER_HEADER]: randomBytes(16).toString('hex') };
}

/** True when the request comes from inside the cluster (it carries the run's credential). */
export function fromInsideCluster(req: IncomingMessage, credential: Record<string, string>): boolean {
  return req.headers[CLUSTER_HEADER] === credential[CLUSTER_HEADER];
}
