-- CreateTable
CREATE TABLE "whiteboards" (
    "id" UUID NOT NULL,
    "guild_id" TEXT NOT NULL,
    "channel_id" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "started_by" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "whiteboards_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "whiteboard_steps" (
    "id" UUID NOT NULL,
    "board_id" UUID NOT NULL,
    "position" INTEGER NOT NULL,
    "tex" TEXT NOT NULL,
    "note" TEXT,
    "author_id" TEXT,
    "author_name" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "whiteboard_steps_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "whiteboards_channel_id_key" ON "whiteboards"("channel_id");

-- CreateIndex
CREATE INDEX "whiteboard_steps_author_id_idx" ON "whiteboard_steps"("author_id");

-- CreateIndex
CREATE UNIQUE INDEX "whiteboard_steps_board_id_position_key" ON "whiteboard_steps"("board_id", "position");

-- AddForeignKey
ALTER TABLE "whiteboard_steps" ADD CONSTRAINT "whiteboard_steps_board_id_fkey" FOREIGN KEY ("board_id") REFERENCES "whiteboards"("id") ON DELETE CASCADE ON UPDATE CASCADE;
