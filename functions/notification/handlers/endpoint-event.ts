import { ProblemError } from '../../../shared/errors';
import type { DomainEvent } from '../../../shared/events';
import type { HandlerContext } from '../../../shared/runtime';
import { endpointFacts } from '../notices/facts';
import { notify } from '../notices/notify';
import { noticeKinds, planNotices } from '../notices/plan';
import { notifiedMerchant } from '../queries/merchants';

type EndpointEvent = DomainEvent<'io.knpay.webhook.endpoint.disabled.v1' | 'io.knpay.webhook.endpoint.recovered.v1'>;

/** The webhooks function disabled a merchant's endpoint, or it works again: the merchant is told. */
export async function onEndpointEvent(event: EndpointEvent, context: HandlerContext): Promise<void> {
  const merchant = await notifiedMerchant(context.db, event.data.merchantId);
  if (!merchant) throw new ProblemError('rejected-event', `merchant ${event.data.merchantId} does not exist`);
  const reason = 'reason' in event.data ? event.data.reason : null;
  await notify(
    context,
    {
      eventId: event.id,
      merchantId: event.data.merchantId,
      merchantName: merchant.name,
      senderName: merchant.settings.senderName,
      replyTo: null,
      invoiceId: null,
    },
    planNotices(noticeKinds(event.type, event.data), merchant.settings, null),
    (kind) => endpointFacts(kind, merchant.name, event.data.url, reason),
  );
}
