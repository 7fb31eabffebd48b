-- AlterTable
ALTER TABLE "duels" ADD COLUMN     "round_messages" JSONB NOT NULL DEFAULT '{}';

-- AlterTable
ALTER TABLE "sprints" ADD COLUMN     "round_messages" JSONB NOT NULL DEFAULT '{}';
