-- CreateTable
CREATE TABLE "recalls" (
    "id" UUID NOT NULL,
    "organization_id" UUID NOT NULL,
    "api_key_id" UUID,
    "reason" TEXT NOT NULL,
    "classification" TEXT,
    "contact" TEXT,
    "identifiers" TEXT[],
    "event_ids" TEXT[],
    "affected" JSONB NOT NULL,
    "recalled_at" TIMESTAMPTZ(3) NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "recalls_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "recalls_created_at_id_idx" ON "recalls"("created_at" DESC, "id" DESC);

-- AddForeignKey
ALTER TABLE "recalls" ADD CONSTRAINT "recalls_organization_id_fkey" FOREIGN KEY ("organization_id") REFERENCES "organizations"("id") ON DELETE RESTRICT ON UPDATE RESTRICT;



-- ───────────────────────────────────────────────────────────────────────────────────────────────
-- Hand-written below: what Prisma's schema language cannot express (CHECK constraints, comments).
-- Design: docs/specs/recalls.md.

ALTER TABLE "recalls"
  ADD CONSTRAINT "recalls_classification_check" CHECK ("classification" IS NULL OR "classification" IN ('I', 'II', 'III')),
  ADD CONSTRAINT "recalls_reason_check" CHECK (length("reason") BETWEEN 1 AND 2000),
  ADD CONSTRAINT "recalls_identifiers_check" CHECK (cardinality("identifiers") >= 1),
  ADD CONSTRAINT "recalls_event_ids_check" CHECK (cardinality("event_ids") >= 1);

COMMENT ON TABLE "recalls" IS 'Recalls (POST /recalls): what, why, who, the recall events in the log, the affected snapshot. Written once with its events.';
COMMENT ON COLUMN "recalls"."id" IS 'The {id} of /recalls/{id}; also recall:recallID in each recall event.';
COMMENT ON COLUMN "recalls"."organization_id" IS 'The organization whose key recorded the recall (and its events).';
COMMENT ON COLUMN "recalls"."api_key_id" IS 'The API key that recorded it; null for the bootstrap key (not stored).';
COMMENT ON COLUMN "recalls"."reason" IS 'Why the items are recalled (public).';
COMMENT ON COLUMN "recalls"."classification" IS 'FDA recall class I, II or III; null when not given.';
COMMENT ON COLUMN "recalls"."contact" IS 'Who to contact about the recall (public); null when not given.';
COMMENT ON COLUMN "recalls"."identifiers" IS 'The recalled lot or EPCs as given, in the event index form (canonical Digital Link URIs).';
COMMENT ON COLUMN "recalls"."event_ids" IS 'eventIDs of the recall events, in log order.';
COMMENT ON COLUMN "recalls"."affected" IS 'Snapshot of the forward trace: lots, epcs, locations, parties, truncated.';
COMMENT ON COLUMN "recalls"."recalled_at" IS 'eventTime of the recall events.';
COMMENT ON COLUMN "recalls"."created_at" IS 'When the row was written.';
