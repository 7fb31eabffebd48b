-- AlterTable
ALTER TABLE "duel_answers" ADD COLUMN     "given" TEXT;
