-- Published rules (issue 6 §3, docs/specs/rules.md): each organization's rule mode, and the rule
-- engine's state, one row per key (an item's custody, packing, end and latest shipment).

-- AlterTable
ALTER TABLE "organizations" ADD COLUMN "rule_mode" TEXT NOT NULL DEFAULT 'flag';

-- CreateTable
CREATE TABLE "rule_state" (
    "key" TEXT NOT NULL,
    "state" JSONB NOT NULL,
    "updated_leaf" BIGINT,

    CONSTRAINT "rule_state_pkey" PRIMARY KEY ("key")
);

-- ───────────────────────────────────────────────────────────────────────────────────────────────
-- Hand-written below: what Prisma's schema language cannot express.

ALTER TABLE "organizations" ADD CONSTRAINT "organizations_rule_mode_check"
  CHECK ("rule_mode" IN ('enforce', 'flag', 'off'));
