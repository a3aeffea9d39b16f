-- The index of the EPCIS query interface (docs/adr/0009-query-index.md, docs/specs/query.md).

-- Identifiers compare byte-wise, whatever the database's collation, so that "every serial of a
-- GTIN" (…/01/{gtin}/…) and "every sub-location of a GLN" (…/414/{gln}/254/…) are ranges of the
-- primary key (LIKE 'prefix%' uses a btree only under the C collation). Equality is unchanged.
ALTER TABLE "event_identifiers" ALTER COLUMN "identifier" SET DATA TYPE TEXT COLLATE "C";

-- DropIndex: readPoint and bizLocation are queried through event_terms (their canonical form); the
-- indexes of the columns as written serve no query any more and would only cost every capture.
DROP INDEX "events_read_point_event_time_idx";
DROP INDEX "events_biz_location_event_time_idx";

-- CreateTable
CREATE TABLE "event_terms" (
    "event_seq" BIGINT NOT NULL,
    "term" TEXT NOT NULL,
    "value" TEXT COLLATE "C" NOT NULL,
    "number" NUMERIC,

    CONSTRAINT "event_terms_pkey" PRIMARY KEY ("term", "value", "event_seq")
);

-- AddForeignKey
ALTER TABLE "event_terms" ADD CONSTRAINT "event_terms_event_seq_fkey" FOREIGN KEY ("event_seq") REFERENCES "events"("seq") ON DELETE CASCADE ON UPDATE CASCADE;

-- ───────────────────────────────────────────────────────────────────────────────────────────────
-- Hand-written below: what Prisma's schema language cannot express (CHECK, a partial index,
-- collations) and the backfill of events captured before this migration.
-- ───────────────────────────────────────────────────────────────────────────────────────────────

-- GT_/GE_/LT_/LE_/EQ_quantity: a range of quantities is a range of this index.
CREATE INDEX "event_terms_quantity_idx" ON "event_terms" ("term", "number", "event_seq")
    WHERE "number" IS NOT NULL;

ALTER TABLE "event_terms"
    ADD CONSTRAINT "event_terms_term" CHECK ("term" IN (
        'readPoint', 'bizLocation', 'persistentDisposition.set', 'persistentDisposition.unset',
        'transformationID', 'errorDeclaration', 'errorReason', 'correctiveEventID',
        'sensorElementList', 'bizTransaction', 'source', 'destination', 'quantity', 'ilmdLot')),
    ADD CONSTRAINT "event_terms_number_iff_quantity" CHECK (("term" = 'quantity') = ("number" IS NOT NULL));

COMMENT ON TABLE "event_terms" IS 'The EPCIS query index beside event_identifiers: one row per (term, value) an event has (docs/adr/0009-query-index.md). Derived from the event at capture.';

-- Backfill: the terms of events captured before this migration, as prepare-event.ts writes them.
-- The functions below mirror its forms for what events carry in practice (SGLN / PGLN EPC URIs and
-- Digital Links of locations and parties, CBV short names and URNs); they are dropped at the end.

-- The GS1 check digit of a string of digits.
CREATE FUNCTION "tr_q_check_digit"(digits TEXT) RETURNS TEXT LANGUAGE sql IMMUTABLE AS $$
    SELECT ((10 - (sum(substr(reverse(digits), i, 1)::int * CASE WHEN i % 2 = 1 THEN 3 ELSE 1 END) % 10)) % 10)::text
    FROM generate_series(1, length(digits)) AS i
$$;

-- A location, party or document id in the index's form (indexedForm): SGLN, PGLN, GDTI and GSRN
-- EPC URIs and location / party Digital Links as canonical Digital Links, anything else as written.
CREATE FUNCTION "tr_q_indexed"(id TEXT) RETURNS TEXT LANGUAGE plpgsql IMMUTABLE AS $$
DECLARE m TEXT[];
BEGIN
    m := regexp_match(id, '^urn:epc:id:sgln:(\d+)\.(\d*)\.(.+)$');
    IF m IS NOT NULL AND length(m[1] || m[2]) = 12 THEN
        RETURN 'https://id.gs1.org/414/' || m[1] || m[2] || tr_q_check_digit(m[1] || m[2])
            || CASE WHEN m[3] = '0' THEN '' ELSE '/254/' || m[3] END;
    END IF;
    m := regexp_match(id, '^urn:epc:id:pgln:(\d+)\.(\d*)$');
    IF m IS NOT NULL AND length(m[1] || m[2]) = 12 THEN
        RETURN 'https://id.gs1.org/417/' || m[1] || m[2] || tr_q_check_digit(m[1] || m[2]);
    END IF;
    m := regexp_match(id, '^urn:epc:id:gdti:(\d+)\.(\d*)\.(.+)$');
    IF m IS NOT NULL AND length(m[1] || m[2]) = 12 THEN
        RETURN 'https://id.gs1.org/253/' || m[1] || m[2] || tr_q_check_digit(m[1] || m[2]) || m[3];
    END IF;
    m := regexp_match(id, '^urn:epc:id:gsrn:(\d+)\.(\d*)$');
    IF m IS NOT NULL AND length(m[1] || m[2]) = 17 THEN
        RETURN 'https://id.gs1.org/8018/' || m[1] || m[2] || tr_q_check_digit(m[1] || m[2]);
    END IF;
    m := regexp_match(id, '^https?://[^/?#]+(?:/[^?#]*)?(/(?:414|417)/\d{13}(?:/254/[^/?#]+)?)/?(?:[?#].*)?$');
    IF m IS NOT NULL THEN
        RETURN 'https://id.gs1.org' || m[1];
    END IF;
    RETURN id;
END;
$$;

-- A CBV vocabulary value as stored (cbvForm): short name or 1.x URN → full CBV web URI.
CREATE FUNCTION "tr_q_cbv"(value TEXT, web TEXT, urn TEXT) RETURNS TEXT LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE
        WHEN btrim(value) !~ ':' THEN web || btrim(value)
        WHEN btrim(value) LIKE urn || '%' THEN web || substr(btrim(value), length(urn) + 1)
        ELSE btrim(value) END
$$;

INSERT INTO "event_terms" ("event_seq", "term", "value", "number")
SELECT DISTINCT ON (t.term, t.value, t.seq) t.seq, t.term, t.value, t.number
FROM (
    SELECT e.seq, 'readPoint' AS term, tr_q_indexed(e.document #>> '{readPoint,id}') AS value, NULL::numeric AS number
      FROM events e WHERE e.document #>> '{readPoint,id}' IS NOT NULL
    UNION ALL
    SELECT e.seq, 'bizLocation', tr_q_indexed(e.document #>> '{bizLocation,id}'), NULL
      FROM events e WHERE e.document #>> '{bizLocation,id}' IS NOT NULL
    UNION ALL
    SELECT e.seq, 'persistentDisposition.' || s.side,
           tr_q_cbv(d.value, 'https://ref.gs1.org/cbv/Disp-', 'urn:epcglobal:cbv:disp:'), NULL
      FROM events e
      CROSS JOIN (VALUES ('set'), ('unset')) AS s(side)
      CROSS JOIN LATERAL jsonb_array_elements_text(
          CASE WHEN jsonb_typeof(e.document -> 'persistentDisposition' -> s.side) = 'array'
               THEN e.document -> 'persistentDisposition' -> s.side ELSE '[]' END) AS d(value)
    UNION ALL
    SELECT e.seq, 'transformationID', e.document ->> 'transformationID', NULL
      FROM events e WHERE jsonb_typeof(e.document -> 'transformationID') = 'string'
    UNION ALL
    SELECT e.seq, 'errorDeclaration', '', NULL
      FROM events e WHERE jsonb_typeof(e.document -> 'errorDeclaration') = 'object'
    UNION ALL
    SELECT e.seq, 'errorReason',
           tr_q_cbv(e.document #>> '{errorDeclaration,reason}', 'https://ref.gs1.org/cbv/ER-', 'urn:epcglobal:cbv:er:'), NULL
      FROM events e
     WHERE jsonb_typeof(e.document -> 'errorDeclaration') = 'object'
       AND jsonb_typeof(e.document #> '{errorDeclaration,reason}') = 'string'
       AND e.document #>> '{errorDeclaration,reason}' <> ''
    UNION ALL
    SELECT e.seq, 'correctiveEventID', c.value, NULL
      FROM events e
      CROSS JOIN LATERAL jsonb_array_elements_text(
          CASE WHEN jsonb_typeof(e.document #> '{errorDeclaration,correctiveEventIDs}') = 'array'
               THEN e.document #> '{errorDeclaration,correctiveEventIDs}' ELSE '[]' END) AS c(value)
    UNION ALL
    SELECT e.seq, 'sensorElementList', '', NULL
      FROM events e
     WHERE jsonb_typeof(e.document -> 'sensorElementList') = 'array'
       AND EXISTS (SELECT 1 FROM jsonb_array_elements(e.document -> 'sensorElementList') x WHERE jsonb_typeof(x) = 'object')
    UNION ALL
    SELECT e.seq, l.term,
           tr_q_cbv(x ->> 'type', l.web, l.urn) || ' ' || tr_q_indexed(x ->> l.field), NULL
      FROM events e
      CROSS JOIN (VALUES
          ('bizTransactionList', 'bizTransaction', 'bizTransaction', 'https://ref.gs1.org/cbv/BTT-', 'urn:epcglobal:cbv:btt:'),
          ('sourceList', 'source', 'source', 'https://ref.gs1.org/cbv/SDT-', 'urn:epcglobal:cbv:sdt:'),
          ('destinationList', 'destination', 'destination', 'https://ref.gs1.org/cbv/SDT-', 'urn:epcglobal:cbv:sdt:'))
          AS l(list, field, term, web, urn)
      CROSS JOIN LATERAL jsonb_array_elements(
          CASE WHEN jsonb_typeof(e.document -> l.list) = 'array' THEN e.document -> l.list ELSE '[]' END) AS x
     WHERE jsonb_typeof(x -> 'type') = 'string' AND x ->> 'type' <> ''
       AND jsonb_typeof(x -> l.field) = 'string' AND x ->> l.field <> ''
    UNION ALL
    SELECT e.seq, 'quantity',
           (q ->> 'quantity') || CASE WHEN coalesce(q ->> 'uom', '') <> '' THEN ' ' || (q ->> 'uom') ELSE '' END,
           (q ->> 'quantity')::numeric
      FROM events e
      CROSS JOIN (VALUES ('quantityList'), ('childQuantityList'), ('inputQuantityList'), ('outputQuantityList')) AS l(list)
      CROSS JOIN LATERAL jsonb_array_elements(
          CASE WHEN jsonb_typeof(e.document -> l.list) = 'array' THEN e.document -> l.list ELSE '[]' END) AS q
     WHERE jsonb_typeof(q -> 'quantity') = 'number'
    UNION ALL
    SELECT e.seq, 'ilmdLot', 'https://id.gs1.org/01/' || substr(i.identifier, 23, 14) || '/10/' || lot.value, NULL
      FROM events e
      CROSS JOIN LATERAL (SELECT coalesce(e.document #>> '{ilmd,cbvmda:lotNumber}', e.document #>> '{ilmd,lotNumber}',
                                          e.document #>> '{ilmd,urn:epcglobal:cbv:mda#lotNumber}') AS value) AS lot
      JOIN event_identifiers i ON i.event_seq = e.seq AND i.role IN ('epc', 'outputEPC')
     WHERE lot.value ~ '^[A-Za-z0-9._~-]{1,20}$'
       AND i.identifier ~ '^https://id\.gs1\.org/01/\d{14}/'
) AS t;

DROP FUNCTION "tr_q_cbv"(TEXT, TEXT, TEXT);
DROP FUNCTION "tr_q_indexed"(TEXT);
DROP FUNCTION "tr_q_check_digit"(TEXT);
