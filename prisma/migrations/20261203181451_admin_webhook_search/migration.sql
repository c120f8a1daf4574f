-- CreateIndex
CREATE INDEX "webhook_messages_merchant_created_idx" ON "webhook_messages"("merchant_id", "created_at" DESC, "id" DESC);

-- CreateIndex
CREATE INDEX "webhook_messages_created_idx" ON "webhook_messages"("created_at" DESC, "id" DESC);

-- CreateIndex
CREATE INDEX "webhook_messages_event_id_idx" ON "webhook_messages"("event_id");

-- The operators' failing endpoints: each endpoint's messages that have not arrived (retrying, or failed
-- for good), a small part of the table. Prisma's schema has no partial indexes, so this one is written here.
CREATE INDEX "webhook_messages_undelivered_idx" ON "webhook_messages" ("endpoint_id", "created_at")
  WHERE status <> 'Delivered' AND attempts > 0;
