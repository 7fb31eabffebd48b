-- CreateTable
CREATE TABLE "duels" (
    "id" UUID NOT NULL,
    "guild_id" TEXT NOT NULL,
    "channel_id" TEXT NOT NULL,
    "challenger_id" TEXT NOT NULL,
    "opponent_id" TEXT NOT NULL,
    "topic" TEXT,
    "level" TEXT,
    "status" TEXT NOT NULL DEFAULT 'pending',
    "questions" TEXT[],
    "seconds_per_round" INTEGER NOT NULL,
    "round" INTEGER NOT NULL DEFAULT 0,
    "round_started_at" TIMESTAMPTZ(3),
    "round_deadline" TIMESTAMPTZ(3),
    "challenge_expires_at" TIMESTAMPTZ(3) NOT NULL,
    "message_id" TEXT,
    "winner_id" TEXT,
    "elo_change" DOUBLE PRECISION,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finished_at" TIMESTAMPTZ(3),

    CONSTRAINT "duels_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "duel_answers" (
    "duel_id" UUID NOT NULL,
    "round" INTEGER NOT NULL,
    "user_id" TEXT NOT NULL,
    "option_id" INTEGER,
    "correct" BOOLEAN NOT NULL,
    "response_ms" INTEGER,
    "points" INTEGER NOT NULL,
    "answered_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "duel_answers_pkey" PRIMARY KEY ("duel_id","round","user_id")
);

-- CreateTable
CREATE TABLE "ratings" (
    "guild_id" TEXT NOT NULL,
    "user_id" TEXT NOT NULL,
    "elo" DOUBLE PRECISION NOT NULL DEFAULT 1200,
    "games" INTEGER NOT NULL DEFAULT 0,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ratings_pkey" PRIMARY KEY ("guild_id","user_id")
);

-- CreateTable
CREATE TABLE "sprints" (
    "id" UUID NOT NULL,
    "guild_id" TEXT NOT NULL,
    "channel_id" TEXT NOT NULL,
    "starter_id" TEXT NOT NULL,
    "topic" TEXT,
    "status" TEXT NOT NULL DEFAULT 'lobby',
    "questions" TEXT[],
    "seconds_per_round" INTEGER NOT NULL,
    "round" INTEGER NOT NULL DEFAULT 0,
    "round_started_at" TIMESTAMPTZ(3),
    "deadline" TIMESTAMPTZ(3) NOT NULL,
    "message_id" TEXT,
    "lease_until" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "sprints_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "sprint_players" (
    "sprint_id" UUID NOT NULL,
    "user_id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "joined_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "sprint_players_pkey" PRIMARY KEY ("sprint_id","user_id")
);

-- CreateTable
CREATE TABLE "sprint_answers" (
    "sprint_id" UUID NOT NULL,
    "round" INTEGER NOT NULL,
    "user_id" TEXT NOT NULL,
    "option_id" INTEGER NOT NULL,
    "correct" BOOLEAN NOT NULL,
    "response_ms" INTEGER NOT NULL,
    "points" INTEGER NOT NULL,
    "answered_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "sprint_answers_pkey" PRIMARY KEY ("sprint_id","round","user_id")
);

-- CreateTable
CREATE TABLE "daily_scores" (
    "guild_id" TEXT NOT NULL,
    "user_id" TEXT NOT NULL,
    "day" DATE NOT NULL,
    "points" INTEGER NOT NULL DEFAULT 0,
    "answers" INTEGER NOT NULL DEFAULT 0,
    "correct" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "daily_scores_pkey" PRIMARY KEY ("guild_id","day","user_id")
);

-- CreateIndex
CREATE INDEX "duels_status_round_deadline_idx" ON "duels"("status", "round_deadline");

-- CreateIndex
CREATE INDEX "duels_guild_id_challenger_id_idx" ON "duels"("guild_id", "challenger_id");

-- CreateIndex
CREATE INDEX "duels_guild_id_opponent_id_idx" ON "duels"("guild_id", "opponent_id");

-- CreateIndex
CREATE INDEX "ratings_guild_id_elo_idx" ON "ratings"("guild_id", "elo");

-- CreateIndex
CREATE INDEX "sprints_status_deadline_idx" ON "sprints"("status", "deadline");

-- CreateIndex
CREATE INDEX "daily_scores_guild_id_user_id_day_idx" ON "daily_scores"("guild_id", "user_id", "day");

-- AddForeignKey
ALTER TABLE "duel_answers" ADD CONSTRAINT "duel_answers_duel_id_fkey" FOREIGN KEY ("duel_id") REFERENCES "duels"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "sprint_players" ADD CONSTRAINT "sprint_players_sprint_id_fkey" FOREIGN KEY ("sprint_id") REFERENCES "sprints"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "sprint_answers" ADD CONSTRAINT "sprint_answers_sprint_id_fkey" FOREIGN KEY ("sprint_id") REFERENCES "sprints"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- CreateTable
CREATE TABLE "streaks" (
    "guild_id" TEXT NOT NULL,
    "user_id" TEXT NOT NULL,
    "current" INTEGER NOT NULL,
    "last_day" DATE NOT NULL,

    CONSTRAINT "streaks_pkey" PRIMARY KEY ("guild_id","user_id")
);

-- CreateIndex
CREATE INDEX "streaks_guild_id_last_day_current_idx" ON "streaks"("guild_id", "last_day", "current");

-- Leaderboard aggregate maintained on write: every answer given in a server adds to its
-- member's row for that day, the day being taken in the server's time zone (UTC if unset).
CREATE FUNCTION "backprop_add_daily_score"() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  d date;
BEGIN
  IF NEW.guild_id IS NULL THEN
    RETURN NULL;
  END IF;
  d := (NEW.answered_at AT TIME ZONE COALESCE((SELECT "time_zone" FROM "guild_settings" WHERE "guild_id" = NEW.guild_id), 'UTC'))::date;
  -- Streak: one more day after yesterday, unchanged on the same day, else a new run of 1.
  INSERT INTO "streaks" ("guild_id", "user_id", "current", "last_day") VALUES (NEW.guild_id, NEW.user_id, 1, d)
  ON CONFLICT ("guild_id", "user_id") DO UPDATE SET
    "current" = CASE
      WHEN "streaks"."last_day" = d THEN "streaks"."current"
      WHEN "streaks"."last_day" = d - 1 THEN "streaks"."current" + 1
      WHEN "streaks"."last_day" > d THEN "streaks"."current"
      ELSE 1 END,
    "last_day" = GREATEST("streaks"."last_day", d);
  INSERT INTO "daily_scores" ("guild_id", "user_id", "day", "points", "answers", "correct")
  VALUES (
    NEW.guild_id,
    NEW.user_id,
    d,
    NEW.points,
    1,
    CASE WHEN NEW.verdict = 'correct' THEN 1 ELSE 0 END
  )
  ON CONFLICT ("guild_id", "day", "user_id") DO UPDATE SET
    "points" = "daily_scores"."points" + EXCLUDED."points",
    "answers" = "daily_scores"."answers" + 1,
    "correct" = "daily_scores"."correct" + EXCLUDED."correct";
  RETURN NULL;
END;
$$;

CREATE TRIGGER "answers_daily_score" AFTER INSERT ON "answers"
  FOR EACH ROW EXECUTE FUNCTION "backprop_add_daily_score"();

-- Backfill from answers given before this migration.
INSERT INTO "daily_scores" ("guild_id", "user_id", "day", "points", "answers", "correct")
SELECT a.guild_id, a.user_id,
       (a.answered_at AT TIME ZONE COALESCE(s.time_zone, 'UTC'))::date,
       sum(a.points)::int, count(*)::int, count(*) FILTER (WHERE a.verdict = 'correct')::int
FROM "answers" a LEFT JOIN "guild_settings" s ON s.guild_id = a.guild_id
WHERE a.guild_id IS NOT NULL
GROUP BY 1, 2, 3;

-- Backfill streaks: each member's last run of consecutive days.
WITH r AS (
  SELECT guild_id, user_id, day, day - (row_number() OVER w)::int AS grp, max(day) OVER (PARTITION BY guild_id, user_id) AS last
  FROM "daily_scores"
  WINDOW w AS (PARTITION BY guild_id, user_id ORDER BY day)
), l AS (SELECT guild_id, user_id, grp FROM r WHERE day = last)
INSERT INTO "streaks" ("guild_id", "user_id", "current", "last_day")
SELECT r.guild_id, r.user_id, count(*)::int, max(r.day) FROM r JOIN l USING (guild_id, user_id, grp) GROUP BY r.guild_id, r.user_id;
