import type { z } from 'zod';
import type { WebhookMessage } from '../../../prisma/generated/client';
import { messageOf } from '../../../shared/webhooks/delivery-log';
import type { DeadLetterRow } from '../queries/dead-letters';
import type { LoggedEvent } from '../queries/event-log';
import type { MerchantRow } from '../queries/merchants';
import type { OperatorTokenRow } from '../queries/operator-tokens';
import type { EndpointRow } from '../queries/webhooks';
import type { apiKeyResource, auditEntryResource, merchantResource } from './schemas';
import type { adminEndpointResource, adminMessageResource } from './webhook-schemas';

const iso = (date: Date | null) => date?.toISOString() ?? null;

export function merchantOf(row: NonNullable<MerchantRow>): z.input<typeof merchantResource> {
  return {
    id: row.id,
    name: row.name,
    email: row.email,
    createdAt: row.createdAt.toISOString(),
    suspended: row.suspendedAt !== null,
    suspendedAt: iso(row.suspendedAt),
    suspendedReason: row.suspendedReason,
  };
}

export function apiKeyOf(row: {
  id: string;
  name: string;
  prefix: string;
  scopes: string[];
  createdAt: Date;
  revokedAt: Date | null;
}): z.input<typeof apiKeyResource> {
  return {
    ...row,
    scopes: row.scopes as z.input<typeof apiKeyResource>['scopes'],
    createdAt: row.createdAt.toISOString(),
    revokedAt: iso(row.revokedAt),
  };
}

export function operatorTokenOf(row: OperatorTokenRow) {
  return {
    ...row,
    createdAt: row.createdAt.toISOString(),
    lastUsedAt: iso(row.lastUsedAt),
    revokedAt: iso(row.revokedAt),
  };
}

export function auditEntryOf(row: {
  id: string;
  at: Date;
  actor: string;
  tokenId: string | null;
  action: string;
  target: string;
  requestId: string | null;
  before: unknown;
  after: unknown;
}): z.input<typeof auditEntryResource> {
  return { ...row, at: row.at.toISOString() };
}

export function loggedEventOf(row: LoggedEvent) {
  const { eventId, time, offset, ...rest } = row;
  return { ...rest, id: eventId, time: iso(time), offset: offset === null ? null : offset.toString() };
}

export function deadLetterOf(row: DeadLetterRow) {
  return {
    id: row.id,
    event: { source: row.source, id: row.eventId, type: row.type, subject: row.subject, data: row.data },
    destination: row.destination,
    errorCode: row.errorCode,
    errorData: row.errorData,
    receivedAt: row.receivedAt.toISOString(),
    status: row.status,
    note: row.note,
    resolvedAt: iso(row.resolvedAt),
    resolvedBy: row.resolvedBy,
  };
}

export function webhookEndpointOf(row: EndpointRow): z.input<typeof adminEndpointResource> {
  return {
    id: row.id,
    merchantId: row.merchantId,
    url: row.url,
    description: row.description,
    eventTypes: row.eventTypes,
    enabled: row.enabled,
    disabledReason: row.disabledReason,
    awaitingRecovery: row.awaitingRecovery,
    createdAt: row.createdAt.toISOString(),
    undelivered: {
      retrying: row.retrying,
      failed: row.failed,
      oldestAt: iso(row.oldestAt),
      lastFailure: row.lastFailureAt && {
        attemptedAt: row.lastFailureAt.toISOString(),
        statusCode: row.lastFailureStatus,
        error: row.lastFailureError,
      },
    },
  };
}

export const webhookMessageOf = (m: WebhookMessage): z.input<typeof adminMessageResource> => ({
  ...messageOf(m),
  merchantId: m.merchantId,
});
