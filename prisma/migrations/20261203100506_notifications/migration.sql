-- CreateEnum
CREATE TYPE "notification_status" AS ENUM ('Pending', 'Sending', 'Sent', 'Failed');

-- CreateTable
CREATE TABLE "notification_settings" (
    "merchant_id" UUID NOT NULL,
    "emails" TEXT[],
    "notices" TEXT[],
    "buyer_receipts" BOOLEAN NOT NULL DEFAULT false,
    "sender_name" TEXT,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "notification_settings_pkey" PRIMARY KEY ("merchant_id")
);

-- CreateTable
CREATE TABLE "notifications" (
    "id" UUID NOT NULL,
    "merchant_id" UUID NOT NULL,
    "cause_event_id" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "audience" TEXT NOT NULL,
    "recipient" TEXT NOT NULL,
    "invoice_id" UUID,
    "subject" TEXT NOT NULL,
    "content" JSONB NOT NULL,
    "message_id" TEXT NOT NULL,
    "status" "notification_status" NOT NULL DEFAULT 'Pending',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "next_attempt_at" TIMESTAMPTZ(3),
    "leased_until" TIMESTAMPTZ(3),
    "last_error" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "sent_at" TIMESTAMPTZ(3),

    CONSTRAINT "notifications_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "notifications_merchant_created_idx" ON "notifications"("merchant_id", "created_at");

-- CreateIndex
CREATE INDEX "notifications_next_attempt_at_idx" ON "notifications"("next_attempt_at");

-- CreateIndex
CREATE UNIQUE INDEX "notifications_cause_kind_recipient_key" ON "notifications"("cause_event_id", "kind", "recipient");

-- AddForeignKey
ALTER TABLE "notification_settings" ADD CONSTRAINT "notification_settings_merchant_id_fkey" FOREIGN KEY ("merchant_id") REFERENCES "merchants"("id") ON DELETE CASCADE ON UPDATE CASCADE;
