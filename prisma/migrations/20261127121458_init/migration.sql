-- CreateEnum
CREATE TYPE "capture_job_status" AS ENUM ('RUNNING', 'SUCCESS', 'FAILED');

-- CreateTable
CREATE TABLE "organizations" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "name" TEXT NOT NULL,
    "gln" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "organizations_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "api_keys" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "organization_id" UUID,
    "secret_hash" BYTEA NOT NULL,
    "is_admin" BOOLEAN NOT NULL DEFAULT false,
    "scopes" TEXT[] DEFAULT ARRAY['capture', 'query']::TEXT[],
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expires_at" TIMESTAMPTZ(3),
    "revoked_at" TIMESTAMPTZ(3),

    CONSTRAINT "api_keys_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "capture_jobs" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "organization_id" UUID NOT NULL,
    "status" "capture_job_status" NOT NULL DEFAULT 'RUNNING',
    "error_behaviour" TEXT NOT NULL DEFAULT 'rollback',
    "event_count" INTEGER NOT NULL DEFAULT 0,
    "errors" JSONB,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finished_at" TIMESTAMPTZ(3),

    CONSTRAINT "capture_jobs_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "events" (
    "seq" BIGSERIAL NOT NULL,
    "event_id" TEXT NOT NULL,
    "event_hash_id" TEXT NOT NULL,
    "organization_id" UUID NOT NULL,
    "capture_job_id" UUID,
    "type" TEXT NOT NULL,
    "event_time" TIMESTAMPTZ(3) NOT NULL,
    "event_time_zone_offset" TEXT NOT NULL,
    "record_time" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "action" TEXT,
    "biz_step" TEXT,
    "disposition" TEXT,
    "read_point" TEXT,
    "biz_location" TEXT,
    "document" JSONB NOT NULL,
    "context" JSONB,
    "disclosures" JSONB NOT NULL DEFAULT '{}',
    "leaf_index" BIGINT NOT NULL,

    CONSTRAINT "events_pkey" PRIMARY KEY ("seq")
);

-- CreateTable
CREATE TABLE "event_identifiers" (
    "event_seq" BIGINT NOT NULL,
    "role" TEXT NOT NULL,
    "identifier" TEXT NOT NULL,

    CONSTRAINT "event_identifiers_pkey" PRIMARY KEY ("identifier","role","event_seq")
);

-- CreateTable
CREATE TABLE "log_leaves" (
    "leaf_index" BIGINT NOT NULL,
    "event_seq" BIGINT NOT NULL,
    "leaf_hash" BYTEA NOT NULL,
    "sequenced_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "log_leaves_pkey" PRIMARY KEY ("leaf_index")
);

-- CreateTable
CREATE TABLE "log_nodes" (
    "level" INTEGER NOT NULL,
    "index" BIGINT NOT NULL,
    "hash" BYTEA NOT NULL,

    CONSTRAINT "log_nodes_pkey" PRIMARY KEY ("level","index")
);

-- CreateTable
CREATE TABLE "checkpoints" (
    "tree_size" BIGINT NOT NULL,
    "root_hash" BYTEA NOT NULL,
    "note" TEXT NOT NULL,
    "body_hash" BYTEA NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "checkpoints_pkey" PRIMARY KEY ("tree_size")
);

-- CreateIndex
CREATE UNIQUE INDEX "organizations_gln_key" ON "organizations"("gln");

-- CreateIndex
CREATE INDEX "api_keys_organization_id_idx" ON "api_keys"("organization_id");

-- CreateIndex
CREATE INDEX "capture_jobs_organization_id_created_at_idx" ON "capture_jobs"("organization_id", "created_at");

-- CreateIndex
CREATE UNIQUE INDEX "events_event_id_key" ON "events"("event_id");

-- CreateIndex
CREATE UNIQUE INDEX "events_leaf_index_key" ON "events"("leaf_index");

-- CreateIndex
CREATE INDEX "events_event_hash_id_idx" ON "events"("event_hash_id");

-- CreateIndex
CREATE INDEX "events_event_time_seq_idx" ON "events"("event_time", "seq");

-- CreateIndex
CREATE INDEX "events_record_time_seq_idx" ON "events"("record_time", "seq");

-- CreateIndex
CREATE INDEX "events_type_event_time_idx" ON "events"("type", "event_time");

-- CreateIndex
CREATE INDEX "events_biz_step_event_time_idx" ON "events"("biz_step", "event_time");

-- CreateIndex
CREATE INDEX "events_disposition_event_time_idx" ON "events"("disposition", "event_time");

-- CreateIndex
CREATE INDEX "events_read_point_event_time_idx" ON "events"("read_point", "event_time");

-- CreateIndex
CREATE INDEX "events_biz_location_event_time_idx" ON "events"("biz_location", "event_time");

-- CreateIndex
CREATE INDEX "event_identifiers_event_seq_idx" ON "event_identifiers"("event_seq");

-- CreateIndex
CREATE UNIQUE INDEX "log_leaves_event_seq_key" ON "log_leaves"("event_seq");

-- AddForeignKey
ALTER TABLE "api_keys" ADD CONSTRAINT "api_keys_organization_id_fkey" FOREIGN KEY ("organization_id") REFERENCES "organizations"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "capture_jobs" ADD CONSTRAINT "capture_jobs_organization_id_fkey" FOREIGN KEY ("organization_id") REFERENCES "organizations"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "events" ADD CONSTRAINT "events_organization_id_fkey" FOREIGN KEY ("organization_id") REFERENCES "organizations"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "events" ADD CONSTRAINT "events_capture_job_id_fkey" FOREIGN KEY ("capture_job_id") REFERENCES "capture_jobs"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "event_identifiers" ADD CONSTRAINT "event_identifiers_event_seq_fkey" FOREIGN KEY ("event_seq") REFERENCES "events"("seq") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "log_leaves" ADD CONSTRAINT "log_leaves_event_seq_fkey" FOREIGN KEY ("event_seq") REFERENCES "events"("seq") ON DELETE RESTRICT ON UPDATE RESTRICT;

-- ───────────────────────────────────────────────────────────────────────────────────────────────
-- Hand-written below: what Prisma's schema language cannot express. Prisma's diff ignores CHECK
-- constraints, functions, triggers and comments, so `migrate dev` stays in sync with them.
-- ───────────────────────────────────────────────────────────────────────────────────────────────

-- CHECK constraints.
ALTER TABLE "api_keys"
    ADD CONSTRAINT "api_keys_secret_hash_length" CHECK (octet_length("secret_hash") = 32),
    ADD CONSTRAINT "api_keys_admin_or_organization" CHECK ("is_admin" OR "organization_id" IS NOT NULL),
    -- Prisma maps a list to a nullable array column; a key always has a (possibly empty) list.
    ADD CONSTRAINT "api_keys_scopes_not_null" CHECK ("scopes" IS NOT NULL);

ALTER TABLE "capture_jobs"
    ADD CONSTRAINT "capture_jobs_error_behaviour" CHECK ("error_behaviour" IN ('rollback', 'proceed')),
    ADD CONSTRAINT "capture_jobs_event_count_non_negative" CHECK ("event_count" >= 0);

ALTER TABLE "events"
    ADD CONSTRAINT "events_leaf_index_non_negative" CHECK ("leaf_index" >= 0);

ALTER TABLE "event_identifiers"
    ADD CONSTRAINT "event_identifiers_role" CHECK ("role" IN (
        'epc', 'parentID', 'childEPC', 'inputEPC', 'outputEPC',
        'quantity', 'childQuantity', 'inputQuantity', 'outputQuantity'));

ALTER TABLE "log_leaves"
    ADD CONSTRAINT "log_leaves_leaf_index_non_negative" CHECK ("leaf_index" >= 0),
    ADD CONSTRAINT "log_leaves_leaf_hash_length" CHECK (octet_length("leaf_hash") = 32);

ALTER TABLE "log_nodes"
    ADD CONSTRAINT "log_nodes_level_range" CHECK ("level" BETWEEN 0 AND 63),
    ADD CONSTRAINT "log_nodes_index_non_negative" CHECK ("index" >= 0),
    ADD CONSTRAINT "log_nodes_hash_length" CHECK (octet_length("hash") = 32);

ALTER TABLE "checkpoints"
    ADD CONSTRAINT "checkpoints_tree_size_non_negative" CHECK ("tree_size" >= 0),
    ADD CONSTRAINT "checkpoints_root_hash_length" CHECK (octet_length("root_hash") = 32),
    ADD CONSTRAINT "checkpoints_body_hash_length" CHECK (octet_length("body_hash") = 32);

-- Append-only ledger tables (ADR 0006): statement-level triggers reject every UPDATE, DELETE and
-- TRUNCATE, including ones that would touch no row and INSERT … ON CONFLICT DO UPDATE
-- (ON CONFLICT DO NOTHING is fine). SQLSTATE P0001, message "<table> is append-only: <op> is
-- not allowed". Only a superuser can get past them (session_replication_role = replica, or
-- ALTER TABLE … DISABLE TRIGGER), which is what the tamper tests do on purpose.
CREATE FUNCTION "reject_ledger_change"() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '% is append-only: % is not allowed', TG_TABLE_NAME, TG_OP
        USING HINT = 'Ledger rows are never changed or removed; see docs/adr/0006.';
END;
$$;

CREATE TRIGGER "log_leaves_append_only"
    BEFORE UPDATE OR DELETE OR TRUNCATE ON "log_leaves"
    FOR EACH STATEMENT EXECUTE FUNCTION "reject_ledger_change"();

CREATE TRIGGER "log_nodes_append_only"
    BEFORE UPDATE OR DELETE OR TRUNCATE ON "log_nodes"
    FOR EACH STATEMENT EXECUTE FUNCTION "reject_ledger_change"();

CREATE TRIGGER "checkpoints_append_only"
    BEFORE UPDATE OR DELETE OR TRUNCATE ON "checkpoints"
    FOR EACH STATEMENT EXECUTE FUNCTION "reject_ledger_change"();

COMMENT ON TABLE "log_leaves" IS 'Append-only (trigger log_leaves_append_only). One row per sequenced leaf; leaf_index gap-free in commit order.';
COMMENT ON TABLE "log_nodes" IS 'Append-only (trigger log_nodes_append_only). Node (level, index) is the RFC 6962 root of leaves [index*2^level, (index+1)*2^level).';
COMMENT ON TABLE "checkpoints" IS 'Append-only (trigger checkpoints_append_only). One signed checkpoint per tree size.';
