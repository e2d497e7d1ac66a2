CREATE TABLE "entry_revisions" (
	"patient_id" uuid NOT NULL,
	"entry_id" uuid NOT NULL,
	"revision" integer NOT NULL,
	"kind" text NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"deleted" boolean DEFAULT false NOT NULL,
	"data" jsonb,
	"created_by" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "entry_revisions_pk" PRIMARY KEY("patient_id","entry_id","revision"),
	CONSTRAINT "entry_revisions_revision_positive" CHECK ("entry_revisions"."revision" >= 1),
	CONSTRAINT "entry_revisions_deleted_no_data" CHECK (("entry_revisions"."deleted" and "entry_revisions"."data" is null) or (not "entry_revisions"."deleted" and "entry_revisions"."data" is not null))
);
--> statement-breakpoint
ALTER TABLE "entry_revisions" ADD CONSTRAINT "entry_revisions_patient_id_users_id_fk" FOREIGN KEY ("patient_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "entry_revisions_entry_unique" ON "entry_revisions" USING btree ("entry_id","revision");--> statement-breakpoint
CREATE INDEX "entry_revisions_patient_kind_at_idx" ON "entry_revisions" USING btree ("patient_id","kind","at");--> statement-breakpoint
-- Revisions are append-only: an edit or a delete inserts a new revision, none is ever changed. Deleting
-- rows stays possible (the account's deletion cascades to them).
CREATE FUNCTION entry_revisions_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'entry revisions are append-only' USING ERRCODE = 'restrict_violation';
END;
$$;
--> statement-breakpoint
CREATE TRIGGER entry_revisions_append_only BEFORE UPDATE ON entry_revisions
  FOR EACH ROW EXECUTE FUNCTION entry_revisions_append_only();
