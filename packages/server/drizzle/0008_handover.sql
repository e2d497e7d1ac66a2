CREATE TABLE "handover_tokens" (
	"patient_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"token_hash" text NOT NULL,
	"task" text,
	"hand" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"used_at" timestamp with time zone,
	"cancelled_at" timestamp with time zone,
	"session_token_hash" text,
	CONSTRAINT "handover_tokens_pk" PRIMARY KEY("patient_id","id"),
	CONSTRAINT "handover_tokens_lifetime" CHECK ("handover_tokens"."expires_at" <= "handover_tokens"."created_at" + interval '5 minutes')
);
--> statement-breakpoint
ALTER TABLE "handover_tokens" ADD CONSTRAINT "handover_tokens_patient_id_users_id_fk" FOREIGN KEY ("patient_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "handover_tokens_token_hash_idx" ON "handover_tokens" USING btree ("token_hash");--> statement-breakpoint
CREATE UNIQUE INDEX "handover_tokens_id_idx" ON "handover_tokens" USING btree ("id");