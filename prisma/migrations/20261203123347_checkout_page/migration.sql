-- AlterTable
ALTER TABLE "invoices" ADD COLUMN     "redirect_url" TEXT;

-- CreateTable
CREATE TABLE "checkout_settings" (
    "merchant_id" UUID NOT NULL,
    "frame_ancestors" TEXT[],
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "checkout_settings_pkey" PRIMARY KEY ("merchant_id")
);

-- AddForeignKey
ALTER TABLE "checkout_settings" ADD CONSTRAINT "checkout_settings_merchant_id_fkey" FOREIGN KEY ("merchant_id") REFERENCES "merchants"("id") ON DELETE CASCADE ON UPDATE CASCADE;
