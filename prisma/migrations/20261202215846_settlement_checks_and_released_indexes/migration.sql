-- AlterTable
ALTER TABLE "invoices" ADD COLUMN     "amount_settled" DECIMAL(78,0);

-- CreateTable
CREATE TABLE "released_address_indexes" (
    "address_index" INTEGER NOT NULL,
    "released_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "released_address_indexes_pkey" PRIMARY KEY ("address_index")
);

-- Invoices settled before this column: what their confirmed payments came to.
UPDATE "invoices" AS i SET "amount_settled" = (
    SELECT COALESCE(sum(p."amount"), 0) FROM "payments" AS p WHERE p."invoice_id" = i."id" AND p."status" = 'Confirmed'
) WHERE i."status" = 'Settled';
