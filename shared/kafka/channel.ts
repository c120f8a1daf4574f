/** The channel writers NOTIFY in the transaction that writes outbox rows; the relay LISTENs on it. */
export const OUTBOX_CHANNEL = 'knpay_outbox';
