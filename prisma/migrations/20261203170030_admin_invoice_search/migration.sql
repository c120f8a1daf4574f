-- CreateIndex
CREATE INDEX "invoices_created_idx" ON "invoices"("created_at" DESC, "id" DESC);

-- CreateIndex
CREATE INDEX "invoices_status_created_idx" ON "invoices"("status", "created_at" DESC, "id" DESC);

-- CreateIndex
CREATE INDEX "payments_tx_hash_idx" ON "payments"("tx_hash");

-- An operator looking an invoice up by the merchant's order id (metadata.orderId): Prisma's schema has no
-- expression indexes, so this one is written here.
CREATE INDEX "invoices_order_id_idx" ON "invoices" ((metadata ->> 'orderId'));
