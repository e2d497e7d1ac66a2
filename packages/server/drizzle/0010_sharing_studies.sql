CREATE TABLE "share_invitations" (
	"id" uuid PRIMARY KEY NOT NULL,
	"clinician_id" uuid NOT NULL,
	"token_hash" text NOT NULL,
	"note" text,
	"schedule" jsonb,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"used_at" timestamp with time zone,
	"used_by" uuid,
	"share_id" uuid,
	"cancelled_at" timestamp with time zone,
	CONSTRAINT "share_invitations_token_hash_unique" UNIQUE("token_hash")
);
--> statement-breakpoint
CREATE TABLE "shares" (
	"patient_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"clinician_id" uuid,
	"scopes" text[] NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"created_by" uuid NOT NULL,
	"invite_token_hash" text,
	"invite_expires_at" timestamp with time zone,
	"accepted_at" timestamp with time zone,
	"expires_at" timestamp with time zone,
	"revoked_at" timestamp with time zone,
	"revoked_by" uuid,
	"last_visit_at" timestamp with time zone,
	CONSTRAINT "shares_pk" PRIMARY KEY("patient_id","id"),
	CONSTRAINT "shares_accepted_has_clinician" CHECK (("shares"."accepted_at" is null) = ("shares"."clinician_id" is null))
);
--> statement-breakpoint
CREATE TABLE "studies" (
	"id" uuid PRIMARY KEY NOT NULL,
	"researcher_id" uuid NOT NULL,
	"title" text NOT NULL,
	"description" text NOT NULL,
	"enrol_code" text NOT NULL,
	"tasks" text[] NOT NULL,
	"schedule" jsonb,
	"consent_version" integer NOT NULL,
	"status" text DEFAULT 'open' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "studies_enrol_code_unique" UNIQUE("enrol_code")
);
--> statement-breakpoint
CREATE TABLE "study_consent_events" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"patient_id" uuid NOT NULL,
	"study_id" uuid NOT NULL,
	"event" text NOT NULL,
	"consent_version" integer NOT NULL,
	"withdrawal_data" text,
	"at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "study_consent_versions" (
	"study_id" uuid NOT NULL,
	"version" integer NOT NULL,
	"text" text NOT NULL,
	"withdrawal_data" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "study_consent_versions_pk" PRIMARY KEY("study_id","version"),
	CONSTRAINT "study_consent_versions_version_positive" CHECK ("study_consent_versions"."version" >= 1)
);
--> statement-breakpoint
CREATE TABLE "study_enrolments" (
	"patient_id" uuid NOT NULL,
	"study_id" uuid NOT NULL,
	"pseudonym" text NOT NULL,
	"date_shift_days" integer NOT NULL,
	"consent_version" integer NOT NULL,
	"consented_at" timestamp with time zone NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"withdrawn_at" timestamp with time zone,
	"withdrawal_data" text,
	CONSTRAINT "study_enrolments_pk" PRIMARY KEY("patient_id","study_id")
);
--> statement-breakpoint
ALTER TABLE "share_invitations" ADD CONSTRAINT "share_invitations_clinician_id_users_id_fk" FOREIGN KEY ("clinician_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "shares" ADD CONSTRAINT "shares_patient_id_users_id_fk" FOREIGN KEY ("patient_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "shares" ADD CONSTRAINT "shares_clinician_id_users_id_fk" FOREIGN KEY ("clinician_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "studies" ADD CONSTRAINT "studies_researcher_id_users_id_fk" FOREIGN KEY ("researcher_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "study_consent_events" ADD CONSTRAINT "study_consent_events_patient_id_users_id_fk" FOREIGN KEY ("patient_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "study_consent_events" ADD CONSTRAINT "study_consent_events_study_id_studies_id_fk" FOREIGN KEY ("study_id") REFERENCES "public"."studies"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "study_consent_versions" ADD CONSTRAINT "study_consent_versions_study_id_studies_id_fk" FOREIGN KEY ("study_id") REFERENCES "public"."studies"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "study_enrolments" ADD CONSTRAINT "study_enrolments_patient_id_users_id_fk" FOREIGN KEY ("patient_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "study_enrolments" ADD CONSTRAINT "study_enrolments_study_id_studies_id_fk" FOREIGN KEY ("study_id") REFERENCES "public"."studies"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "share_invitations_clinician_idx" ON "share_invitations" USING btree ("clinician_id");--> statement-breakpoint
CREATE UNIQUE INDEX "shares_id_idx" ON "shares" USING btree ("id");--> statement-breakpoint
CREATE UNIQUE INDEX "shares_invite_token_hash_idx" ON "shares" USING btree ("invite_token_hash");--> statement-breakpoint
CREATE INDEX "shares_clinician_idx" ON "shares" USING btree ("clinician_id");--> statement-breakpoint
CREATE INDEX "study_consent_events_patient_idx" ON "study_consent_events" USING btree ("patient_id","study_id");--> statement-breakpoint
CREATE UNIQUE INDEX "study_enrolments_pseudonym_idx" ON "study_enrolments" USING btree ("study_id","pseudonym");--> statement-breakpoint
CREATE INDEX "study_enrolments_study_idx" ON "study_enrolments" USING btree ("study_id");