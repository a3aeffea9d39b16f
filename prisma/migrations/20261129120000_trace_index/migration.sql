-- The trace's index (docs/specs/trace.md). Hand-written: Prisma's schema language has no partial
-- indexes.
--
-- Each level of GET /trace reads, for every event it hits, the lots that event's ILMD gives its
-- items (event_terms rows with term 'ilmdLot'), by event. event_terms' primary key leads with
-- (term, value), so without this index that read scans every 'ilmdLot' row once per event hit:
-- 290 ms instead of 4 ms for one level of 30 lots on a 10,000-event chain (EXPLAIN ANALYZE,
-- `npm run bench:trace`). Partial: only events with an ILMD lot have rows here, so capture pays
-- for it only on commissioning events.
CREATE INDEX "event_terms_ilmd_lot_event_idx" ON "event_terms" ("event_seq") WHERE "term" = 'ilmdLot';
