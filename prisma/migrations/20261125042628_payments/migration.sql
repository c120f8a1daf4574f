-- AlterTable
CREATE SEQUENCE invoices_address_index_seq;
ALTER TABLE "invoices" ADD COLUMN     "rate" TEXT,
ALTER COLUMN "address_index" SET DEFAULT nextval('invoices_address_index_seq');
ALTER SEQUENCE invoices_address_index_seq OWNED BY "invoices"."address_index";

-- AlterTable
ALTER TABLE "payments" ADD COLUMN     "block_time" TIMESTAMPTZ(3) NOT NULL;

-- CreateTable
CREATE TABLE "chain_blocks" (
    "chain_id" INTEGER NOT NULL,
    "number" BIGINT NOT NULL,
    "hash" TEXT NOT NULL,
    "parent_hash" TEXT NOT NULL,
    "timestamp" TIMESTAMPTZ(3) NOT NULL,
    "scanned_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "chain_blocks_pkey" PRIMARY KEY ("chain_id","number")
);

-- CreateTable
CREATE TABLE "idempotency_keys" (
    "merchant_id" UUID NOT NULL,
    "key" TEXT NOT NULL,
    "request_hash" CHAR(64) NOT NULL,
    "status" INTEGER NOT NULL,
    "response_body" JSONB NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "idempotency_keys_pkey" PRIMARY KEY ("merchant_id","key")
);

-- CreateIndex
CREATE INDEX "idempotency_keys_created_at_idx" ON "idempotency_keys"("created_at");
