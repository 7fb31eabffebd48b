-- CreateEnum
CREATE TYPE "AnswerMode" AS ENUM ('chain', 'review', 'drill', 'drop', 'duel', 'sprint');

-- CreateEnum
CREATE TYPE "Verdict" AS ENUM ('correct', 'partial', 'wrong');

-- CreateTable
CREATE TABLE "answers" (
    "id" BIGSERIAL NOT NULL,
    "event_key" TEXT NOT NULL,
    "user_id" TEXT NOT NULL,
    "guild_id" TEXT,
    "channel_id" TEXT,
    "prompt_id" TEXT,
    "topic" TEXT,
    "drill_kind" TEXT,
    "drill_seed" INTEGER,
    "mode" "AnswerMode" NOT NULL,
    "given" TEXT NOT NULL,
    "verdict" "Verdict" NOT NULL,
    "score" DOUBLE PRECISION NOT NULL,
    "points" INTEGER NOT NULL DEFAULT 0,
    "response_ms" INTEGER,
    "rating" INTEGER,
    "answered_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "answers_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "cards" (
    "user_id" TEXT NOT NULL,
    "prompt_id" TEXT NOT NULL,
    "topic" TEXT NOT NULL,
    "due" TIMESTAMPTZ(3) NOT NULL,
    "stability" DOUBLE PRECISION NOT NULL,
    "difficulty" DOUBLE PRECISION NOT NULL,
    "elapsed_days" INTEGER NOT NULL,
    "scheduled_days" INTEGER NOT NULL,
    "learning_steps" INTEGER NOT NULL,
    "reps" INTEGER NOT NULL,
    "lapses" INTEGER NOT NULL,
    "state" INTEGER NOT NULL,
    "last_review" TIMESTAMPTZ(3),

    CONSTRAINT "cards_pkey" PRIMARY KEY ("user_id","prompt_id")
);

-- CreateTable
CREATE TABLE "practice_sessions" (
    "id" UUID NOT NULL,
    "user_id" TEXT NOT NULL,
    "guild_id" TEXT,
    "channel_id" TEXT,
    "kind" TEXT NOT NULL,
    "queue" TEXT[],
    "position" INTEGER NOT NULL DEFAULT 0,
    "seed" INTEGER NOT NULL,
    "asked_at" TIMESTAMPTZ(3) NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,
    "ended_at" TIMESTAMPTZ(3),

    CONSTRAINT "practice_sessions_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "answers_event_key_key" ON "answers"("event_key");

-- CreateIndex
CREATE INDEX "answers_user_id_answered_at_idx" ON "answers"("user_id", "answered_at");

-- CreateIndex
CREATE INDEX "answers_guild_id_answered_at_idx" ON "answers"("guild_id", "answered_at");

-- CreateIndex
CREATE INDEX "answers_user_id_prompt_id_idx" ON "answers"("user_id", "prompt_id");

-- CreateIndex
CREATE INDEX "cards_user_id_due_idx" ON "cards"("user_id", "due");

-- CreateIndex
CREATE INDEX "practice_sessions_user_id_idx" ON "practice_sessions"("user_id");
