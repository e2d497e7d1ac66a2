CREATE TABLE "metric_runs" (
	"patient_id" uuid NOT NULL,
	"recording_id" uuid NOT NULL,
	"analysis_version" text NOT NULL,
	"status" text NOT NULL,
	"error_code" text,
	"error_message" text,
	"setup_key" text,
	"computed_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "metric_runs_pk" PRIMARY KEY("patient_id","recording_id","analysis_version")
);
--> statement-breakpoint
CREATE TABLE "metric_values" (
	"patient_id" uuid NOT NULL,
	"recording_id" uuid NOT NULL,
	"metric_id" text NOT NULL,
	"analysis_version" text NOT NULL,
	"metric_version" text NOT NULL,
	"value" double precision,
	"flags" text[] DEFAULT '{}'::text[] NOT NULL,
	"computed_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "metric_values_pk" PRIMARY KEY("patient_id","recording_id","metric_id","analysis_version")
);
--> statement-breakpoint
ALTER TABLE "metric_runs" ADD CONSTRAINT "metric_runs_recording_fk" FOREIGN KEY ("patient_id","recording_id") REFERENCES "public"."recordings"("patient_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "metric_values" ADD CONSTRAINT "metric_values_recording_fk" FOREIGN KEY ("patient_id","recording_id") REFERENCES "public"."recordings"("patient_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "metric_values_patient_metric_idx" ON "metric_values" USING btree ("patient_id","metric_id","analysis_version");--> statement-breakpoint
-- Erasing a recording (the one update recordings allow: content cleared, erased_at set) also deletes
-- everything computed from it. A trigger, so that no way of erasing can leave derived values behind; the
-- metrics job inserts only after locking the recording row FOR SHARE and seeing it not erased, so an
-- erasure either waits for that insert and deletes its rows here, or commits first and is seen.
CREATE FUNCTION recordings_erase_metrics() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM metric_values WHERE patient_id = NEW.patient_id AND recording_id = NEW.id;
  DELETE FROM metric_runs WHERE patient_id = NEW.patient_id AND recording_id = NEW.id;
  RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER recordings_erase_metrics AFTER UPDATE OF erased_at ON recordings
  FOR EACH ROW WHEN (OLD.erased_at IS NULL AND NEW.erased_at IS NOT NULL)
  EXECUTE FUNCTION recordings_erase_metrics();
