-- An endpoint's messages newest first, now with the id: the operators' message search (admin) walks the
-- endpoints and takes each one's newest positions from this index alone. Made before the index it
-- replaces is dropped, so the delivery log is never without one.
CREATE INDEX "webhook_messages_endpoint_created_id_idx" ON "webhook_messages"("endpoint_id", "created_at", "id");

DROP INDEX "webhook_messages_endpoint_created_idx";

-- The operators' failing endpoints and failed messages: each endpoint's messages that have not arrived
-- (retrying, or failed for good), a small part of the table, so a delivery's writes rarely touch it.
-- Prisma's schema has no partial indexes, so this one is written here.
CREATE INDEX "webhook_messages_undelivered_idx" ON "webhook_messages" ("endpoint_id", "created_at")
  WHERE status <> 'Delivered' AND attempts > 0;
