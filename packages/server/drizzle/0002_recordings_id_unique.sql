DROP INDEX "recordings_id_idx";--> statement-breakpoint
CREATE UNIQUE INDEX "recordings_id_unique" ON "recordings" USING btree ("id");