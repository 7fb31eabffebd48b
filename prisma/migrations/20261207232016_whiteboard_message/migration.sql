-- AlterTable
ALTER TABLE "whiteboards" ADD COLUMN     "message_id" TEXT;
