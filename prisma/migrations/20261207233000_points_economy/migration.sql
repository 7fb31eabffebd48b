-- The points economy (src/quiz/points.ts) applied to the answers given before it, so that a
-- month or all-time board does not mix the old scales (practice 0-100, speed games 1,000-1,999)
-- with the new one. No schema change: data only (db:new-migration writes schema diffs; this
-- folder follows its naming).
--
-- What the database can know of each past answer, and so how it is re-scored:
-- * wrong: 0.
-- * practice (chain, review, drill): the base, half for a partial answer; 0 for a repeat (the
--   member answered the same prompt less than 24 hours before, in any mode).
-- * drop, duel, sprint: the old points were 1000 + round(999 * (1 - t/T)) for a right answer
--   in time, so the speed share is (points - 1000) / 999 and the new points are
--   base * (1 + 0.5 * share). A right drop answer at exactly 1000 was (almost always) given
--   after the reveal: 0 now. Old rows at 0 (wrong, late, or a partial drop answer, which used to
--   earn nothing) stay 0: whether a partial answer was live is not recorded.
-- * base: 125 for a drill (drill_kind set), else 100. A prompt's level is in the bank, not in
--   the database, so past answers to L5 and L6 prompts keep the L4 base; answers from now on
--   get their level's weight.
--
-- daily_scores (what the boards sum) gets each member's change on the answer's day in the
-- server's current time zone, as the answers trigger counts it (a server that changed its
-- zone since may see a change land on the neighbouring day). The duels' and sprints' own rows
-- take the points of their answer, so a past duel's totals read the same everywhere.

CREATE TEMP TABLE "rescored" ON COMMIT DROP AS
SELECT a.id, a.guild_id, a.user_id, a.answered_at, a.points AS old,
  (CASE
    WHEN a.verdict = 'wrong' THEN 0
    WHEN a.mode IN ('chain', 'review', 'drill') THEN
      CASE
        WHEN a.prompt_id IS NOT NULL
             AND lag(a.answered_at) OVER (PARTITION BY a.user_id, a.prompt_id ORDER BY a.answered_at, a.id) > a.answered_at - interval '24 hours' THEN 0
        WHEN a.verdict = 'partial' THEN round(0.5 * (CASE WHEN a.drill_kind IS NOT NULL THEN 125 ELSE 100 END))
        ELSE (CASE WHEN a.drill_kind IS NOT NULL THEN 125 ELSE 100 END)
      END
    WHEN a.points <= 0 THEN 0
    WHEN a.mode = 'drop' AND a.points = 1000 THEN 0
    ELSE round((CASE WHEN a.drill_kind IS NOT NULL THEN 125 ELSE 100 END)
               * (1 + 0.5 * least(greatest(a.points - 1000, 0), 999) / 999.0))
  END)::int AS new
FROM "answers" a;

DELETE FROM "rescored" WHERE new = old;

UPDATE "answers" a SET "points" = r.new FROM "rescored" r WHERE a.id = r.id;

INSERT INTO "daily_scores" ("guild_id", "user_id", "day", "points", "answers", "correct")
SELECT r.guild_id, r.user_id, (r.answered_at AT TIME ZONE COALESCE(s.time_zone, 'UTC'))::date, sum(r.new - r.old)::int, 0, 0
FROM "rescored" r LEFT JOIN "guild_settings" s ON s.guild_id = r.guild_id
WHERE r.guild_id IS NOT NULL
GROUP BY 1, 2, 3
ON CONFLICT ("guild_id", "day", "user_id") DO UPDATE SET "points" = "daily_scores"."points" + EXCLUDED."points";

UPDATE "duel_answers" d SET "points" = a.points
FROM "answers" a
WHERE a.mode = 'duel' AND a.event_id = d.duel_id AND a.event_step = d.round AND a.user_id = d.user_id AND d.points <> a.points;

UPDATE "sprint_answers" p SET "points" = a.points
FROM "answers" a
WHERE a.mode = 'sprint' AND a.event_id = p.sprint_id AND a.event_step = p.round AND a.user_id = p.user_id AND p.points <> a.points;
