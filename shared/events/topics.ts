/**
 * Every Kafka topic of the system, declared once. Events are keyed by their subject (the aggregate id),
 * so one aggregate's events stay in order on one partition.
 * A KafkaSource in ordered mode delivers one record at a time per partition, so a topic carries at most
 * partitions ÷ delivery time, and a partition its keys hash to unevenly queues first: knpay.invoices,
 * the busiest, has 12 (bench/e2e: p99 at half the maximum rate 63 ms with 12, 136–175 ms with 6).
 * Retention is how long Kafka keeps a topic's records for a replay (knative/topics/topics.yaml, the
 * Strimzi KafkaTopics, checked equal by test/knative/topics-manifest.test.ts): the database keeps
 * what must last; commands and per-attempt outcomes are short-lived; dead letters wait for an operator.
 */
export const topics = {
  invoices: { name: 'knpay.invoices', partitions: 12, retentionDays: 14 },
  payments: { name: 'knpay.payments', partitions: 6, retentionDays: 14 },
  chain: { name: 'knpay.chain', partitions: 1, retentionDays: 1 },
  /** What happened to webhook endpoints (disabled, recovered): notification mails the merchant. */
  webhooks: { name: 'knpay.webhooks', partitions: 3, retentionDays: 14 },
  /** Each webhook attempt's outcome: many, read by no function's hot path (the admin's event log). */
  webhookDeliveries: { name: 'knpay.webhook-deliveries', partitions: 3, retentionDays: 3 },
  /**
   * The webhooks function's own work (a message to attempt, cron's sweep, the merchant API's requests),
   * apart from the facts above so the function is not sent back every outcome it records.
   */
  webhookCommands: { name: 'knpay.webhook-commands', partitions: 6, retentionDays: 3 },
  notifications: { name: 'knpay.notifications', partitions: 3, retentionDays: 7 },
  /** The notification function's own work (cron's sweep), apart from what it announces. */
  notificationCommands: { name: 'knpay.notification-commands', partitions: 1, retentionDays: 1 },
  /** What KafkaSources could not deliver (knative/base/dead-letters.yaml), with Knative's error extensions. */
  deadLetters: { name: 'knpay.dead-letters', partitions: 3, retentionDays: 30 },
} as const;

export type TopicName = (typeof topics)[keyof typeof topics]['name'];
