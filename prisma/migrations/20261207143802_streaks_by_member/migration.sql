-- CreateIndex
CREATE INDEX "streaks_user_id_idx" ON "streaks"("user_id");
