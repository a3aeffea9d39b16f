-- CreateTable
CREATE TABLE "master_data_records" (
    "id" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "owner_organization_id" UUID NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "master_data_records_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "master_data_versions" (
    "record_id" TEXT NOT NULL,
    "version" INTEGER NOT NULL,
    "valid_from" TIMESTAMPTZ(3) NOT NULL,
    "recorded_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "organization_id" UUID NOT NULL,
    "api_key_id" UUID,
    "source" TEXT NOT NULL,
    "capture_job_id" UUID,
    "attributes" JSONB NOT NULL,
    "private_attributes" JSONB,

    CONSTRAINT "master_data_versions_pkey" PRIMARY KEY ("record_id","version")
);

-- CreateTable
CREATE TABLE "scanned_items" (
    "identifier" TEXT NOT NULL,
    "scan_count" INTEGER NOT NULL,
    "first_scanned_at" TIMESTAMPTZ(3) NOT NULL,
    "last_scanned_at" TIMESTAMPTZ(3) NOT NULL,
    "far_apart" JSONB,

    CONSTRAINT "scanned_items_pkey" PRIMARY KEY ("identifier")
);

-- CreateTable
CREATE TABLE "scans" (
    "id" BIGSERIAL NOT NULL,
    "identifier" TEXT NOT NULL,
    "scanned_at" TIMESTAMPTZ(3) NOT NULL,
    "latitude" DECIMAL(3,1),
    "longitude" DECIMAL(4,1),

    CONSTRAINT "scans_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "scanned_items_last_scanned_at_idx" ON "scanned_items"("last_scanned_at");

-- CreateIndex
CREATE INDEX "scans_identifier_scanned_at_idx" ON "scans"("identifier", "scanned_at");

-- CreateIndex
CREATE INDEX "scans_scanned_at_idx" ON "scans"("scanned_at");

-- AddForeignKey
ALTER TABLE "master_data_records" ADD CONSTRAINT "master_data_records_owner_organization_id_fkey" FOREIGN KEY ("owner_organization_id") REFERENCES "organizations"("id") ON DELETE RESTRICT ON UPDATE RESTRICT;

-- AddForeignKey
ALTER TABLE "master_data_versions" ADD CONSTRAINT "master_data_versions_record_id_fkey" FOREIGN KEY ("record_id") REFERENCES "master_data_records"("id") ON DELETE RESTRICT ON UPDATE RESTRICT;

-- AddForeignKey
ALTER TABLE "master_data_versions" ADD CONSTRAINT "master_data_versions_organization_id_fkey" FOREIGN KEY ("organization_id") REFERENCES "organizations"("id") ON DELETE RESTRICT ON UPDATE RESTRICT;

-- AddForeignKey
ALTER TABLE "master_data_versions" ADD CONSTRAINT "master_data_versions_api_key_id_fkey" FOREIGN KEY ("api_key_id") REFERENCES "api_keys"("id") ON DELETE RESTRICT ON UPDATE RESTRICT;

-- AddForeignKey
ALTER TABLE "master_data_versions" ADD CONSTRAINT "master_data_versions_capture_job_id_fkey" FOREIGN KEY ("capture_job_id") REFERENCES "capture_jobs"("id") ON DELETE RESTRICT ON UPDATE RESTRICT;

-- AddForeignKey
ALTER TABLE "scans" ADD CONSTRAINT "scans_identifier_fkey" FOREIGN KEY ("identifier") REFERENCES "scanned_items"("identifier") ON DELETE CASCADE ON UPDATE CASCADE;



-- ───────────────────────────────────────────────────────────────────────────────────────────────
-- Hand-written below: what Prisma's schema language cannot express (CHECK constraints, the
-- append-only triggers, comments). Design: docs/specs/master-data.md.
-- ───────────────────────────────────────────────────────────────────────────────────────────────

-- CHECK constraints. Record ids are canonical GS1 Digital Link URIs whose shape fits their kind
-- (a lot value is at most 20 characters, each at most 3 when percent-encoded).
ALTER TABLE "master_data_records"
    ADD CONSTRAINT "master_data_records_kind" CHECK ("kind" IN ('product', 'lot', 'location', 'party')),
    ADD CONSTRAINT "master_data_records_id_shape" CHECK (
        ("kind" = 'product' AND "id" ~ '^https://id\.gs1\.org/01/[0-9]{14}$')
        OR ("kind" = 'lot' AND "id" ~ '^https://id\.gs1\.org/01/[0-9]{14}/10/[^/?#]{1,60}$')
        OR ("kind" = 'location' AND "id" ~ '^https://id\.gs1\.org/414/[0-9]{13}(/254/[^/?#]{1,60})?$')
        OR ("kind" = 'party' AND "id" ~ '^https://id\.gs1\.org/417/[0-9]{13}$'));

ALTER TABLE "master_data_versions"
    ADD CONSTRAINT "master_data_versions_version_positive" CHECK ("version" >= 1),
    ADD CONSTRAINT "master_data_versions_source" CHECK ("source" IN ('api', 'epcis')),
    ADD CONSTRAINT "master_data_versions_capture_job_iff_epcis"
        CHECK (("source" = 'epcis') = ("capture_job_id" IS NOT NULL)),
    ADD CONSTRAINT "master_data_versions_attributes_object"
        CHECK (jsonb_typeof("attributes") = 'object'),
    ADD CONSTRAINT "master_data_versions_private_attributes_object"
        CHECK ("private_attributes" IS NULL OR jsonb_typeof("private_attributes") = 'object');

ALTER TABLE "scanned_items"
    ADD CONSTRAINT "scanned_items_identifier_shape"
        CHECK ("identifier" ~ '^https://id\.gs1\.org/01/[0-9]{14}/21/[^/?#]{1,60}$'),
    ADD CONSTRAINT "scanned_items_scan_count_positive" CHECK ("scan_count" >= 1),
    ADD CONSTRAINT "scanned_items_first_before_last" CHECK ("first_scanned_at" <= "last_scanned_at");

ALTER TABLE "scans"
    ADD CONSTRAINT "scans_latitude_range" CHECK ("latitude" BETWEEN -90 AND 90),
    ADD CONSTRAINT "scans_longitude_range" CHECK ("longitude" BETWEEN -180 AND 180),
    ADD CONSTRAINT "scans_position_whole" CHECK (("latitude" IS NULL) = ("longitude" IS NULL));

-- Append-only master data, like the ledger tables (ADR 0006): statement-level triggers reject
-- every UPDATE, DELETE and TRUNCATE (also ones that touch no row, and INSERT … ON CONFLICT DO
-- UPDATE; ON CONFLICT DO NOTHING is fine). A change is a new version; a record's owner never
-- changes. SQLSTATE P0001, message "<table> is append-only: <op> is not allowed".
CREATE FUNCTION "reject_master_data_change"() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '% is append-only: % is not allowed', TG_TABLE_NAME, TG_OP
        USING HINT = 'Master data changes are new versions; see docs/specs/master-data.md.';
END;
$$;

CREATE TRIGGER "master_data_records_append_only"
    BEFORE UPDATE OR DELETE OR TRUNCATE ON "master_data_records"
    FOR EACH STATEMENT EXECUTE FUNCTION "reject_master_data_change"();

CREATE TRIGGER "master_data_versions_append_only"
    BEFORE UPDATE OR DELETE OR TRUNCATE ON "master_data_versions"
    FOR EACH STATEMENT EXECUTE FUNCTION "reject_master_data_change"();

COMMENT ON TABLE "master_data_records" IS 'Append-only (trigger master_data_records_append_only). One row per product, lot, location or party with master data; its creator owns it.';
COMMENT ON COLUMN "master_data_records"."id" IS 'Canonical GS1 Digital Link URI on https://id.gs1.org, as event_identifiers writes identifiers.';
COMMENT ON COLUMN "master_data_records"."kind" IS 'product, lot, location or party (CHECK: matches the shape of id).';
COMMENT ON COLUMN "master_data_records"."owner_organization_id" IS 'The organization that created the record: the only one that may add versions.';
COMMENT ON COLUMN "master_data_records"."created_at" IS 'When the record was created.';

COMMENT ON TABLE "master_data_versions" IS 'Append-only (trigger master_data_versions_append_only). Every version of every record: who, when, from where, the full attribute set.';
COMMENT ON COLUMN "master_data_versions"."record_id" IS 'The record (master_data_records.id).';
COMMENT ON COLUMN "master_data_versions"."version" IS '1, 2, 3 … per record, in the order stored.';
COMMENT ON COLUMN "master_data_versions"."valid_from" IS 'From when the attributes hold (may be backdated, never in the future); valid until the next version by valid_from.';
COMMENT ON COLUMN "master_data_versions"."recorded_at" IS 'When the version was stored.';
COMMENT ON COLUMN "master_data_versions"."organization_id" IS 'The organization that wrote it (the owner).';
COMMENT ON COLUMN "master_data_versions"."api_key_id" IS 'The API key that wrote it.';
COMMENT ON COLUMN "master_data_versions"."source" IS 'api (PUT /masterdata/…) or epcis (master data of a captured document).';
COMMENT ON COLUMN "master_data_versions"."capture_job_id" IS 'The capture job whose document carried it; set exactly when source = epcis.';
COMMENT ON COLUMN "master_data_versions"."attributes" IS 'The public attributes (JSON object).';
COMMENT ON COLUMN "master_data_versions"."private_attributes" IS 'Free-form attributes served only to the owning organization; null when none.';

COMMENT ON TABLE "scanned_items" IS 'Scan telemetry per serialised item, for counterfeit warnings. No IP address, user agent or cookie is stored anywhere. Deleted SCAN_RETENTION_DAYS after the last scan.';
COMMENT ON COLUMN "scanned_items"."identifier" IS 'Canonical Digital Link URI of the item: https://id.gs1.org/01/{gtin14}/21/{serial}.';
COMMENT ON COLUMN "scanned_items"."scan_count" IS 'Scans since first_scanned_at.';
COMMENT ON COLUMN "scanned_items"."first_scanned_at" IS 'The first scan.';
COMMENT ON COLUMN "scanned_items"."last_scanned_at" IS 'The latest scan.';
COMMENT ON COLUMN "scanned_items"."far_apart" IS 'The first two scans too far apart for the time between them; null while none was seen.';

COMMENT ON TABLE "scans" IS 'One row per scan: time and coarse position only. At most the latest 100 per item, none older than SCAN_RETENTION_DAYS.';
COMMENT ON COLUMN "scans"."id" IS 'Arrival order.';
COMMENT ON COLUMN "scans"."identifier" IS 'The item (scanned_items.identifier).';
COMMENT ON COLUMN "scans"."scanned_at" IS 'When the scan was received (server clock).';
COMMENT ON COLUMN "scans"."latitude" IS 'Latitude rounded to 0.1 degree (about 10 km); null when no position was shared.';
COMMENT ON COLUMN "scans"."longitude" IS 'Longitude rounded to 0.1 degree; null when no position was shared.';
