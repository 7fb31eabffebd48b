-- Answers keyed by columns: which session, drop, duel or sprint (event_id) and which step or
-- round (event_step), beside the idempotency key they were so far only encoded in.
ALTER TABLE "answers" ADD COLUMN     "event_id" UUID,
ADD COLUMN     "event_step" INTEGER;

-- Every key written so far is "<mode>:<uuid>:<step>" or "<mode>:<uuid>:<step>:<user>".
UPDATE "answers"
SET "event_id" = split_part("event_key", ':', 2)::uuid,
    "event_step" = split_part("event_key", ':', 3)::int
WHERE "event_key" ~ '^[a-z]+:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}:[0-9]{1,9}(:|$)';

-- A row whose key names no event cannot be attributed; stop here rather than guess.
ALTER TABLE "answers" ALTER COLUMN "event_id" SET NOT NULL,
ALTER COLUMN "event_step" SET NOT NULL;

-- CreateIndex
CREATE INDEX "answers_event_id_event_step_idx" ON "answers"("event_id", "event_step");
