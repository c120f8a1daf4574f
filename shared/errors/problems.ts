/**
 * Every error a caller can see, as one data table. The status decides what Knative's KafkaSource
 * dispatcher does with an event (eventing-kafka-broker's
 * WebClientCloudEventSender, isRetryableStatusCode): 5xx, 404, 408, 409 and 429 are retried,
 * every other status sends the event straight to the dead-letter sink. So an event that can never be
 * handled gets 400/422 (never 404/409), and only transient faults get a 5xx.
 */
export const problems = {
  'malformed-event': { status: 400, retriable: false, title: 'The request is not a valid CloudEvent' },
  'unsupported-spec-version': { status: 400, retriable: false, title: 'Unsupported CloudEvents spec version' },
  'unknown-event-type': { status: 422, retriable: false, title: 'This function does not handle this event type' },
  'invalid-event-data': { status: 422, retriable: false, title: "The event's data does not match its schema" },
  'rejected-event': { status: 422, retriable: false, title: 'The event can never be handled' },
  'payload-too-large': { status: 413, retriable: false, title: 'The request body is larger than allowed' },
  'bad-request': { status: 400, retriable: false, title: 'The request is malformed' },
  'invalid-request': { status: 422, retriable: false, title: 'The request does not match its schema' },
  unauthorized: { status: 401, retriable: false, title: 'A valid API key is required' },
  'bad-signature': { status: 401, retriable: false, title: "The request's signature is missing, wrong or too old" },
  'replayed-call': { status: 409, retriable: false, title: 'This call was received before' },
  forbidden: { status: 403, retriable: false, title: 'The API key lacks the scope this needs' },
  'merchant-suspended': {
    status: 403,
    retriable: false,
    title: 'The merchant is suspended: its API keys are refused until an operator reinstates it',
  },
  'insufficient-role': { status: 403, retriable: false, title: "The operator token's role does not allow this" },
  'owner-exists': { status: 409, retriable: false, title: 'An owner token exists already' },
  'state-conflict': { status: 409, retriable: false, title: 'The resource is not in a state that allows this' },
  'unknown-asset': { status: 422, retriable: false, title: 'The asset is not accepted on this chain' },
  'idempotency-key-reused': {
    status: 422,
    retriable: false,
    title: 'The Idempotency-Key was used with another request',
  },
  'unknown-rate': { status: 422, retriable: false, title: 'No exchange rate is known for this asset and currency' },
  'rate-unavailable': { status: 503, retriable: true, title: 'No exchange rate is available right now; retry later' },
  'data-refused': { status: 422, retriable: false, title: 'The database refused the data as given' },
  'unsupported-media-type': {
    status: 415,
    retriable: false,
    title: 'The body must be JSON (Content-Type: application/json)',
  },
  'expectation-failed': { status: 417, retriable: false, title: 'The Expect header is not supported' },
  'header-too-large': { status: 431, retriable: false, title: 'The request headers are larger than allowed' },
  'request-timeout': { status: 408, retriable: true, title: 'The request was not received in time' },
  'not-found': { status: 404, retriable: false, title: 'No such resource' },
  'method-not-allowed': { status: 405, retriable: false, title: 'Method not allowed' },
  'handler-timeout': { status: 504, retriable: true, title: 'The handler did not finish in time' },
  'service-unavailable': { status: 503, retriable: true, title: 'A dependency is unavailable; retry later' },
  'shutting-down': { status: 503, retriable: true, title: 'The function is shutting down; retry later' },
  'internal-error': { status: 500, retriable: true, title: 'Internal error' },
} as const satisfies Record<string, { status: number; retriable: boolean; title: string }>;

export type ProblemType = keyof typeof problems;

/** The RFC 9457 problem details body. `type` is a relative URI naming the row of the table above. */
export interface ProblemBody {
  type: string;
  title: string;
  status: number;
  detail?: string;
  instance?: string;
  /** Extension members, e.g. the schema issues of invalid event data. */
  [extension: string]: unknown;
}

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';
