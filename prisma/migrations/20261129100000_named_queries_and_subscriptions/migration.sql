-- CreateTable
CREATE TABLE "named_queries" (
    "organization_id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "query" JSONB NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "named_queries_pkey" PRIMARY KEY ("organization_id","name")
);

-- CreateTable
CREATE TABLE "subscriptions" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "organization_id" UUID NOT NULL,
    "query_name" TEXT NOT NULL,
    "dest" TEXT NOT NULL,
    "signature_token" TEXT,
    "stream" BOOLEAN NOT NULL,
    "schedule" JSONB,
    "report_if_empty" BOOLEAN NOT NULL DEFAULT false,
    "initial_record_time" TIMESTAMPTZ(3),
    "epc_format" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "cursor_leaf_index" BIGINT NOT NULL,
    "due_at" TIMESTAMPTZ(3) NOT NULL,
    "catching_up" BOOLEAN NOT NULL DEFAULT false,
    "failures" INTEGER NOT NULL DEFAULT 0,
    "last_notified_at" TIMESTAMPTZ(3),
    "lease_owner" UUID,
    "lease_until" TIMESTAMPTZ(3),

    CONSTRAINT "subscriptions_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "subscription_deliveries" (
    "id" BIGSERIAL NOT NULL,
    "subscription_id" UUID NOT NULL,
    "attempted_at" TIMESTAMPTZ(3) NOT NULL,
    "duration_ms" INTEGER NOT NULL,
    "event_count" INTEGER NOT NULL,
    "first_leaf_index" BIGINT,
    "last_leaf_index" BIGINT,
    "status" INTEGER,
    "error" TEXT,
    "acknowledged" BOOLEAN NOT NULL,

    CONSTRAINT "subscription_deliveries_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "named_queries_organization_id_created_at_name_idx" ON "named_queries"("organization_id", "created_at", "name");

-- CreateIndex
CREATE INDEX "subscriptions_organization_id_query_name_created_at_id_idx" ON "subscriptions"("organization_id", "query_name", "created_at", "id");

-- CreateIndex
CREATE INDEX "subscriptions_due_at_idx" ON "subscriptions"("due_at");

-- CreateIndex
CREATE INDEX "subscription_deliveries_subscription_id_id_idx" ON "subscription_deliveries"("subscription_id", "id");

-- AddForeignKey
ALTER TABLE "named_queries" ADD CONSTRAINT "named_queries_organization_id_fkey" FOREIGN KEY ("organization_id") REFERENCES "organizations"("id") ON DELETE RESTRICT ON UPDATE RESTRICT;

-- AddForeignKey
ALTER TABLE "subscriptions" ADD CONSTRAINT "subscriptions_organization_id_query_name_fkey" FOREIGN KEY ("organization_id", "query_name") REFERENCES "named_queries"("organization_id", "name") ON DELETE CASCADE ON UPDATE RESTRICT;

-- AddForeignKey
ALTER TABLE "subscription_deliveries" ADD CONSTRAINT "subscription_deliveries_subscription_id_fkey" FOREIGN KEY ("subscription_id") REFERENCES "subscriptions"("id") ON DELETE CASCADE ON UPDATE RESTRICT;



-- ───────────────────────────────────────────────────────────────────────────────────────────────
-- Hand-written below: what Prisma's schema language cannot express (CHECK constraints, comments).
-- Design: docs/specs/subscriptions.md.
-- ───────────────────────────────────────────────────────────────────────────────────────────────

-- A query name is one URL path segment of unreserved characters (RFC 3986 §2.3); a query is the
-- JSON object of query-schema.json; a subscription either streams or has a schedule (EPCIS 2.0
-- REST binding: "stream: true" or a schedule, never both); the cursor is a leaf index or -1.
ALTER TABLE "named_queries"
    ADD CONSTRAINT "named_queries_name_shape" CHECK ("name" ~ '^[A-Za-z0-9._~-]{1,128}$'),
    ADD CONSTRAINT "named_queries_query_object" CHECK (jsonb_typeof("query") = 'object');

ALTER TABLE "subscriptions"
    ADD CONSTRAINT "subscriptions_dest_http" CHECK ("dest" ~ '^https?://'),
    ADD CONSTRAINT "subscriptions_stream_or_schedule" CHECK ("stream" = ("schedule" IS NULL)),
    ADD CONSTRAINT "subscriptions_schedule_object"
        CHECK ("schedule" IS NULL OR jsonb_typeof("schedule") = 'object'),
    ADD CONSTRAINT "subscriptions_epc_format" CHECK ("epc_format" IS NULL OR "epc_format" IN
        ('No_Preference', 'Always_GS1_Digital_Link', 'Always_EPC_URN', 'Never_Translates')),
    ADD CONSTRAINT "subscriptions_cursor_leaf_index" CHECK ("cursor_leaf_index" >= -1),
    ADD CONSTRAINT "subscriptions_failures" CHECK ("failures" >= 0),
    ADD CONSTRAINT "subscriptions_lease_whole" CHECK (("lease_owner" IS NULL) = ("lease_until" IS NULL));

ALTER TABLE "subscription_deliveries"
    ADD CONSTRAINT "subscription_deliveries_counts"
        CHECK ("event_count" >= 0 AND "duration_ms" >= 0),
    ADD CONSTRAINT "subscription_deliveries_leaves"
        CHECK (("first_leaf_index" IS NULL) = ("last_leaf_index" IS NULL)
               AND ("first_leaf_index" IS NULL OR "first_leaf_index" <= "last_leaf_index")),
    ADD CONSTRAINT "subscription_deliveries_status" CHECK ("status" IS NULL OR "status" BETWEEN 100 AND 599),
    ADD CONSTRAINT "subscription_deliveries_acknowledged_2xx"
        CHECK ("acknowledged" = ("status" IS NOT NULL AND "status" BETWEEN 200 AND 299));

COMMENT ON TABLE "named_queries" IS 'EPCIS 2.0 named queries (POST /queries), one namespace per organization: the creating organization owns its queries.';
COMMENT ON TABLE "subscriptions" IS 'Webhook subscriptions to named queries. Deleted with their query. cursor_leaf_index: every leaf at or below it was delivered and acknowledged (2xx) or does not match.';
COMMENT ON COLUMN "subscriptions"."signature_token" IS 'The HMAC-SHA256 key of GS1-Signature, chosen by the subscriber. Secret: never returned by the API, never logged.';
COMMENT ON TABLE "subscription_deliveries" IS 'One row per callback attempt (the latest 100 per subscription are kept).';
