-- CreateIndex
CREATE INDEX "webhook_messages_endpoint_leased_idx" ON "webhook_messages"("endpoint_id", "leased_until");

-- CreateIndex
CREATE INDEX "webhook_messages_endpoint_due_idx" ON "webhook_messages"("endpoint_id", "next_attempt_at");
