import { Pool } from 'undici';
import type { FuzzRequest } from './hostile-values';

export interface FuzzReport {
  requests: number;
  byStatus: Record<string, number>;
  /** 5xx answers: each one is a defect (the caller's mistake reported as ours, or a crash). */
  serverErrors: { request: FuzzRequest; status: number; body: string }[];
  /** 4xx answers without an RFC 9457 problem body. */
  bare4xx: { request: FuzzRequest; status: number; contentType: string }[];
  /** Requests that got no answer at all (the connection was dropped). */
  unanswered: number;
}

/** Sends each request to its target's base URL, `concurrency` at a time, and tallies the answers. */
export async function runFuzz(
  requests: FuzzRequest[],
  targets: Record<FuzzRequest['target'], string>,
  concurrency = 8,
): Promise<FuzzReport> {
  const pools = {
    api: new Pool(targets.api, { connections: concurrency }),
    events: new Pool(targets.events, { connections: concurrency }),
  };
  const report: FuzzReport = { requests: 0, byStatus: {}, serverErrors: [], bare4xx: [], unanswered: 0 };
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < requests.length; i = next++) {
      const request = requests[i] as FuzzRequest;
      report.requests += 1;
      try {
        const answer = await pools[request.target].request({
          method: request.method,
          path: request.path,
          headers: request.headers,
          ...(request.body === undefined ? {} : { body: request.body }),
          headersTimeout: 30_000,
          bodyTimeout: 30_000,
        });
        const body = await answer.body.text();
        const status = answer.statusCode;
        report.byStatus[String(status)] = (report.byStatus[String(status)] ?? 0) + 1;
        const contentType = String(answer.headers['content-type'] ?? '');
        if (status >= 500) report.serverErrors.push({ request, status, body: body.slice(0, 300) });
        else if (status >= 400 && !contentType.startsWith('application/problem+json'))
          report.bare4xx.push({ request, status, contentType });
      } catch {
        report.unanswered += 1;
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  await Promise.all([pools.api.close(), pools.events.close()]);
  return report;
}
