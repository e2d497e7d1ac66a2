CREATE TABLE "attested_reports" (
	"patient_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"issued_at" timestamp with time zone NOT NULL,
	"period_from" text NOT NULL,
	"period_to" text NOT NULL,
	"signed_manifest" jsonb NOT NULL,
	"pdf" "bytea" NOT NULL,
	CONSTRAINT "attested_reports_pk" PRIMARY KEY("patient_id","id")
);
--> statement-breakpoint
CREATE TABLE "report_share_links" (
	"patient_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"token_hash" text NOT NULL,
	"report_id" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"revoked_at" timestamp with time zone,
	CONSTRAINT "report_share_links_pk" PRIMARY KEY("patient_id","id"),
	CONSTRAINT "report_share_links_lifetime" CHECK ("report_share_links"."expires_at" <= "report_share_links"."created_at" + interval '90 days')
);
--> statement-breakpoint
ALTER TABLE "attested_reports" ADD CONSTRAINT "attested_reports_patient_id_users_id_fk" FOREIGN KEY ("patient_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "report_share_links" ADD CONSTRAINT "report_share_links_patient_id_users_id_fk" FOREIGN KEY ("patient_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "report_share_links" ADD CONSTRAINT "report_share_links_report_fk" FOREIGN KEY ("patient_id","report_id") REFERENCES "public"."attested_reports"("patient_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "attested_reports_id_idx" ON "attested_reports" USING btree ("id");--> statement-breakpoint
CREATE UNIQUE INDEX "report_share_links_token_hash_idx" ON "report_share_links" USING btree ("token_hash");--> statement-breakpoint
CREATE UNIQUE INDEX "report_share_links_id_idx" ON "report_share_links" USING btree ("id");