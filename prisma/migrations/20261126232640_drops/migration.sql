-- CreateTable
CREATE TABLE "schedules" (
    "id" UUID NOT NULL,
    "guild_id" TEXT NOT NULL,
    "channel_id" TEXT NOT NULL,
    "cron" TEXT NOT NULL,
    "time_zone" TEXT NOT NULL,
    "topics" TEXT[],
    "level" TEXT,
    "role_id" TEXT,
    "reveal_every_minutes" INTEGER,
    "reveal_after_answers" INTEGER,
    "paused" BOOLEAN NOT NULL DEFAULT false,
    "created_by" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "next_run_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "schedules_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "drops" (
    "id" UUID NOT NULL,
    "schedule_id" UUID,
    "slot_at" TIMESTAMPTZ(3) NOT NULL,
    "guild_id" TEXT NOT NULL,
    "channel_id" TEXT NOT NULL,
    "chain_id" TEXT NOT NULL,
    "role_id" TEXT,
    "reveal_every_minutes" INTEGER,
    "reveal_after_answers" INTEGER,
    "late" BOOLEAN NOT NULL DEFAULT false,
    "status" TEXT NOT NULL DEFAULT 'active',
    "posted" INTEGER NOT NULL DEFAULT 0,
    "next_step_at" TIMESTAMPTZ(3) NOT NULL,
    "thread_id" TEXT,
    "lease_until" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "drops_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "drop_steps" (
    "drop_id" UUID NOT NULL,
    "step" INTEGER NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'posting',
    "message_id" TEXT,
    "posted_at" TIMESTAMPTZ(3),

    CONSTRAINT "drop_steps_pkey" PRIMARY KEY ("drop_id","step")
);

-- CreateIndex
CREATE INDEX "schedules_next_run_at_idx" ON "schedules"("next_run_at");

-- CreateIndex
CREATE INDEX "schedules_guild_id_idx" ON "schedules"("guild_id");

-- CreateIndex
CREATE INDEX "drops_status_next_step_at_idx" ON "drops"("status", "next_step_at");

-- CreateIndex
CREATE INDEX "drops_channel_id_created_at_idx" ON "drops"("channel_id", "created_at");

-- CreateIndex
CREATE UNIQUE INDEX "drops_schedule_id_slot_at_key" ON "drops"("schedule_id", "slot_at");

-- AddForeignKey
ALTER TABLE "drops" ADD CONSTRAINT "drops_schedule_id_fkey" FOREIGN KEY ("schedule_id") REFERENCES "schedules"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "drop_steps" ADD CONSTRAINT "drop_steps_drop_id_fkey" FOREIGN KEY ("drop_id") REFERENCES "drops"("id") ON DELETE CASCADE ON UPDATE CASCADE;
