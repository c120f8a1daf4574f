import { collectDefaultMetrics, Counter, Histogram, Registry } from 'prom-client';

/** The Prometheus metrics of one function server, labelled like Knative's (K_SERVICE, K_REVISION). */
export function createMetrics(labels: { service: string; revision?: string }) {
  const registry = new Registry();
  registry.setDefaultLabels({ service: labels.service, ...(labels.revision ? { revision: labels.revision } : {}) });
  collectDefaultMetrics({ register: registry });
  return {
    registry,
    eventsHandled: new Counter({
      name: 'knpay_events_handled_total',
      help: 'CloudEvents handled, by type and outcome (success, duplicate, rejected, failed, timeout)',
      labelNames: ['type', 'outcome'] as const,
      registers: [registry],
    }),
    handlerDuration: new Histogram({
      name: 'knpay_event_handler_duration_seconds',
      help: 'Time spent handling one CloudEvent',
      labelNames: ['type'] as const,
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers: [registry],
    }),
    httpRequests: new Counter({
      name: 'knpay_http_requests_total',
      help: 'HTTP requests, by route, method and status',
      labelNames: ['route', 'method', 'status'] as const,
      registers: [registry],
    }),
  };
}

export type Metrics = ReturnType<typeof createMetrics>;
