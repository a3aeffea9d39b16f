-- The record of administrative actions (issue 6 §4): one row per action on organizations, API
-- keys, policies, rule modes, erasures and key rotation, each also appended to the log as an
-- EPCIS event (event_id) in the same transaction. Design: docs/specs/admin.md.

-- CreateTable
CREATE TABLE "admin_actions" (
    "id" UUID NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "actor_key_id" UUID,
    "actor_organization_id" UUID,
    "action" TEXT NOT NULL,
    "organization_id" UUID,
    "target" TEXT,
    "details" JSONB NOT NULL DEFAULT '{}',
    "event_id" TEXT NOT NULL,

    CONSTRAINT "admin_actions_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "admin_actions_event_id_key" ON "admin_actions"("event_id");

-- CreateIndex
CREATE INDEX "admin_actions_organization_id_idx" ON "admin_actions"("organization_id");



-- ───────────────────────────────────────────────────────────────────────────────────────────────
-- Hand-written below: what Prisma's schema language cannot express (CHECK constraints, trigger,
-- comments). No foreign keys: the record names keys and organizations as they were, and its
-- Prisma model declares no relations (organizations and keys are never deleted anyway).

ALTER TABLE "admin_actions"
  ADD CONSTRAINT "admin_actions_action_check" CHECK ("action" ~ '^[a-z]+(-[a-z]+)*\.[a-z]+(-[a-z]+)*$'),
  ADD CONSTRAINT "admin_actions_details_check" CHECK (jsonb_typeof("details") = 'object'),
  ADD CONSTRAINT "admin_actions_event_id_check" CHECK ("event_id" = 'urn:uuid:' || "id"::text);

-- Append-only, like the ledger tables (reject_ledger_change: 20261127121458_init).
CREATE TRIGGER "admin_actions_append_only"
  BEFORE UPDATE OR DELETE OR TRUNCATE ON "admin_actions"
  FOR EACH STATEMENT EXECUTE FUNCTION "reject_ledger_change"();

COMMENT ON TABLE "admin_actions" IS 'Append-only (trigger admin_actions_append_only). One row per administrative action, written in the transaction that performs it and appends its event (event_id) to the log. Never holds a secret.';
COMMENT ON COLUMN "admin_actions"."id" IS 'Primary key; the event''s eventID is urn:uuid:<id> (CHECK).';
COMMENT ON COLUMN "admin_actions"."at" IS 'When the action was performed (the transaction''s time).';
COMMENT ON COLUMN "admin_actions"."actor_key_id" IS 'The API key that performed it; null for the bootstrap key (not stored).';
COMMENT ON COLUMN "admin_actions"."actor_organization_id" IS 'The organization of that key; the operator organization for an operator key of no organization.';
COMMENT ON COLUMN "admin_actions"."action" IS 'What was done: organization.create, api-key.create, api-key.revoke, policy.update, rules.mode, organization.erase, event.erase, keys.rotate.';
COMMENT ON COLUMN "admin_actions"."organization_id" IS 'The organization acted upon; null for actions on no organization (keys.rotate).';
COMMENT ON COLUMN "admin_actions"."target" IS 'What was acted upon inside it (an API key ID, an eventID …); null when the organization itself.';
COMMENT ON COLUMN "admin_actions"."details" IS 'The action''s parameters as a JSON object (scopes, expiresAt, mode …); never a secret or personal data.';
COMMENT ON COLUMN "admin_actions"."event_id" IS 'eventID of the EPCIS event that records the action in the log (events.event_id). Unique.';
