import { fillString } from '../../../shared/text/fill-string';
import { buyerNoticeKinds, type NoticeKind } from '../../../shared/notifications/kinds';
import { htmlLayout, textLayout } from '../templates/layouts';
import { strings } from '../templates/strings.en';

/** What a notice is about, every value already formatted for people (notices/facts.ts). */
export interface NoticeFacts {
  kind: NoticeKind;
  merchant: string;
  invoice: {
    id: string;
    /** The merchant's order id when there is one, else the invoice id. */
    ref: string;
    orderId: string | null;
    amount: string;
    amountPaid: string;
    amountDue: string;
    price: string | null;
    status: string;
    checkoutUrl: string;
  } | null;
  endpoint: { url: string; reason: string | null } | null;
}

export interface RenderedNotice {
  subject: string;
  text: string;
  html: string;
}

// Strings are templates too, filled unescaped: the layout escapes what they produce.
const fill = (template: string, facts: NoticeFacts) => fillString(template, facts);

const isBuyerNotice = (kind: NoticeKind) => (buyerNoticeKinds as readonly string[]).includes(kind);

/** A notice's subject, text part and HTML part, in English (templates/strings.en.ts). */
export function renderNotice(facts: NoticeFacts): RenderedNotice {
  const s = strings.notices[facts.kind];
  const f = strings.facts;
  const invoice = facts.invoice;
  const rows: { label: string; value: string | null }[] = invoice
    ? [
        { label: f.invoice, value: invoice.id },
        { label: f.order, value: invoice.orderId },
        { label: f.amount, value: invoice.amount },
        { label: f.price, value: invoice.price },
        { label: f.paid, value: invoice.amountPaid },
        { label: f.due, value: invoice.amountDue === invoice.amount ? null : invoice.amountDue },
      ]
    : [{ label: f.endpoint, value: facts.endpoint?.url ?? null }];
  const subject = fill(s.subject, facts).replace(/[\r\n]+/g, ' ');
  const view = {
    lang: 'en',
    subject,
    heading: fill(s.heading, facts),
    lines: s.lines.map((line) => fill(line, facts)),
    facts: rows.filter((r) => r.value !== null),
    link: invoice ? { url: invoice.checkoutUrl, label: strings.link.invoice } : null,
    footer: fill(isBuyerNotice(facts.kind) ? strings.footer.buyer : strings.footer.merchant, facts),
  };
  return { subject, text: textLayout(view), html: htmlLayout(view) };
}
