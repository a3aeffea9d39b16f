-- event_keys without foreign keys (issue 6 §6: ingest with encryption at most 15 % slower;
-- docs/adr/0010-field-privacy-and-crypto-shredding.md, "Costs").
--
-- Each foreign key cost a referential-integrity check per inserted event (≈ 10 µs of PostgreSQL
-- CPU each, measured on 20,000-row inserts: 4 µs a row without them, 20 µs with both), and the
-- one to organization_keys made every concurrent capture of an organization share-lock the same
-- data-key row (a MultiXact per overlapping capture). Neither guarded anything the writes do not
-- already guarantee: an event's key row is inserted by the statement that inserts the event
-- (SEQUENCE_EVENTS_SQL), events are never deleted, and organization_keys rows are never deleted
-- either (erasure nulls their key material; organization_keys_destroyed_check). A key row that
-- named no data key would read as erased (PrivacyRepository.eventKeys joins them).

-- DropForeignKey
ALTER TABLE "event_keys" DROP CONSTRAINT "event_keys_event_seq_fkey";

-- DropForeignKey
ALTER TABLE "event_keys" DROP CONSTRAINT "event_keys_organization_key_id_fkey";

-- The sealed column's format v2 (docs/specs/privacy.md §4): one ciphertext per event.
COMMENT ON COLUMN "events"."sealed" IS 'The partner and private fields: {"sharing": "restricted"|"linked", "fields": {name: {"v": visibility, "d": digest}}, "c": base64 AES-256-GCM ciphertext of the JSON object of their disclosures, AAD traceroot-fields/v2 + eventID}; rows of format v1 have no top-level "c" but one per field (AAD traceroot-field/v1 + eventID + field). Null when every field is public.';
