-- CreateEnum
CREATE TYPE "dead_letter_status" AS ENUM ('waiting', 'replayed', 'discarded');

-- CreateTable
CREATE TABLE "event_log" (
    "source" TEXT NOT NULL,
    "event_id" TEXT NOT NULL,
    "type" TEXT NOT NULL,
    "subject" TEXT,
    "time" TIMESTAMPTZ(3),
    "data" JSONB,
    "topic" TEXT,
    "partition" INTEGER,
    "offset" BIGINT,
    "received_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "event_log_pkey" PRIMARY KEY ("source","event_id")
);

-- CreateTable
CREATE TABLE "dead_letters" (
    "id" UUID NOT NULL,
    "dl_partition" INTEGER NOT NULL,
    "dl_offset" BIGINT NOT NULL,
    "source" TEXT NOT NULL,
    "event_id" TEXT NOT NULL,
    "type" TEXT NOT NULL,
    "subject" TEXT,
    "time" TIMESTAMPTZ(3),
    "data" JSONB,
    "destination" TEXT NOT NULL,
    "error_code" INTEGER,
    "error_data" TEXT,
    "received_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "status" "dead_letter_status" NOT NULL DEFAULT 'waiting',
    "note" TEXT,
    "resolved_at" TIMESTAMPTZ(3),
    "resolved_by" TEXT,

    CONSTRAINT "dead_letters_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "event_log_subject_idx" ON "event_log"("subject", "time" DESC);

-- CreateIndex
CREATE INDEX "event_log_type_idx" ON "event_log"("type", "time" DESC);

-- CreateIndex
CREATE INDEX "event_log_received_idx" ON "event_log"("received_at");

-- CreateIndex
CREATE INDEX "dead_letters_status_idx" ON "dead_letters"("status", "received_at" DESC);

-- CreateIndex
CREATE INDEX "dead_letters_event_idx" ON "dead_letters"("source", "event_id");

-- CreateIndex
CREATE UNIQUE INDEX "dead_letters_position_key" ON "dead_letters"("dl_partition", "dl_offset");
