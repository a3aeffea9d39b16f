-- Privacy (issue 6): field visibility policies, encryption at rest with per-organization data
-- keys, crypto-shredding. Design: docs/specs/privacy.md, docs/adr/0010-field-privacy-and-crypto-shredding.md.

-- AlterTable: what an event keeps of its partner and private fields, who it names, its rules.
ALTER TABLE "events" ADD COLUMN "sealed" JSONB,
ADD COLUMN "parties" TEXT[],
ADD COLUMN "rule_set" TEXT,
ADD COLUMN "rule_violations" JSONB;

-- CreateTable
CREATE TABLE "organization_policies" (
    "organization_id" UUID NOT NULL,
    "policy" JSONB NOT NULL,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "organization_policies_pkey" PRIMARY KEY ("organization_id")
);

-- CreateTable
CREATE TABLE "organization_keys" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "organization_id" UUID NOT NULL,
    "kek_id" TEXT NOT NULL,
    "wrapped" BYTEA,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "destroyed_at" TIMESTAMPTZ(3),

    CONSTRAINT "organization_keys_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "event_keys" (
    "event_seq" BIGINT NOT NULL,
    "organization_key_id" UUID NOT NULL,
    "wrapped" BYTEA NOT NULL,

    CONSTRAINT "event_keys_pkey" PRIMARY KEY ("event_seq")
);

-- CreateIndex
CREATE INDEX "organization_keys_organization_id_created_at_idx" ON "organization_keys"("organization_id", "created_at");

-- CreateIndex
CREATE INDEX "event_keys_organization_key_id_idx" ON "event_keys"("organization_key_id");

-- AddForeignKey
ALTER TABLE "organization_policies" ADD CONSTRAINT "organization_policies_organization_id_fkey" FOREIGN KEY ("organization_id") REFERENCES "organizations"("id") ON DELETE RESTRICT ON UPDATE RESTRICT;

-- AddForeignKey
ALTER TABLE "organization_keys" ADD CONSTRAINT "organization_keys_organization_id_fkey" FOREIGN KEY ("organization_id") REFERENCES "organizations"("id") ON DELETE RESTRICT ON UPDATE RESTRICT;

-- AddForeignKey
ALTER TABLE "event_keys" ADD CONSTRAINT "event_keys_event_seq_fkey" FOREIGN KEY ("event_seq") REFERENCES "events"("seq") ON DELETE CASCADE ON UPDATE RESTRICT;

-- AddForeignKey
ALTER TABLE "event_keys" ADD CONSTRAINT "event_keys_organization_key_id_fkey" FOREIGN KEY ("organization_key_id") REFERENCES "organization_keys"("id") ON DELETE RESTRICT ON UPDATE RESTRICT;

-- ───────────────────────────────────────────────────────────────────────────────────────────────
-- Hand-written below: what Prisma's schema language cannot express.

-- A destroyed key has no key material left; a live one has it.
ALTER TABLE "organization_keys" ADD CONSTRAINT "organization_keys_destroyed_check"
    CHECK (("destroyed_at" IS NULL) = ("wrapped" IS NOT NULL));

-- At most one live data key per organization: the one new events are sealed with.
CREATE UNIQUE INDEX "organization_keys_one_live_idx" ON "organization_keys"("organization_id") WHERE "destroyed_at" IS NULL;

COMMENT ON COLUMN "events"."sealed" IS 'The partner and private fields: {"sharing": "restricted"|"linked", "fields": {name: {"v": visibility, "d": digest, "c": base64 AES-256-GCM ciphertext of the disclosure}}}; null when every field is public.';
COMMENT ON COLUMN "events"."parties" IS 'GLNs the event names in its source/destination lists and business transactions (restricted sharing).';
COMMENT ON TABLE "event_keys" IS 'One random AES-256 key per event with sealed fields, wrapped by its organization''s data key. Deleting the row erases the event''s sealed fields (crypto-shredding).';
COMMENT ON TABLE "organization_keys" IS 'Per-organization data keys, wrapped by a key-encryption key (kek_id). Erasure sets destroyed_at and drops the key material.';
