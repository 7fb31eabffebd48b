-- AlterTable
ALTER TABLE "duels" ADD COLUMN     "challenger_elo_before" DOUBLE PRECISION,
ADD COLUMN     "opponent_elo_before" DOUBLE PRECISION,
ADD COLUMN     "result_posted_at" TIMESTAMPTZ(3);

-- CreateIndex
CREATE INDEX "duels_status_result_posted_at_idx" ON "duels"("status", "result_posted_at");

-- Results decided before this migration were posted then (or lost with the old code): the
-- sweep must not post them now.
UPDATE "duels" SET "result_posted_at" = COALESCE("finished_at", now()) WHERE "status" IN ('finished', 'abandoned');
