// The GET /events queries `npm run bench:query` measures, each with targets drawn (seeded) from the
// generated supply chain, and a check of every answer, so that a fast wrong answer cannot pass.
// `target`: the kinds the p99 ≤ 50 ms is about (one serialised item; one lot).
// Without the full query interface (`full` false), the first GET /events knew only MATCH_anyEPC
// and MATCH_anyEPCClass: the item and the pallet are asked with MATCH_anyEPC (the same events as
// MATCH_epc for an item), the lot with MATCH_anyEPCClass, and the other kinds are left out.
const PAGE = 30; // the binding's default perPage
const DAY = 86_400_000;

const query = (parameters) => `/events?${new URLSearchParams(parameters)}`;
const time = (t) => new Date(t).toISOString();
const named = (value, expected) =>
  value === expected ||
  (typeof value === 'string' && value.endsWith(`:${expected}`)) ||
  (typeof value === 'string' && value.endsWith(`/${expected}`));

/** `identifier` as an EPC URN or, for GS1 keys given as URNs, possibly its Digital Link form. */
const sameLocation = (value, sgln) => {
  if (value === sgln) return true;
  // urn:epc:id:sgln:CP.LOCREF.0 ↔ https://id.gs1.org/414/<GLN>: compare the GLN's digits.
  const [cp, ref] = sgln.slice('urn:epc:id:sgln:'.length).split('.');
  return typeof value === 'string' && value.includes(`/414/${cp}${ref}`);
};

export const queryKinds = (targets, { full }) => {
  const kinds = [];
  const firstDay = targets.firstTime;
  const lastDay = targets.lastTime - DAY;

  kinds.push({
    label: full ? 'MATCH_epc (one item)' : 'MATCH_anyEPC (one item)',
    target: true,
    next: (random) => {
      const item = random.pick(targets.items);
      const expected = Math.min(item.events, PAGE);
      return {
        path: query({ [full ? 'MATCH_epc' : 'MATCH_anyEPC']: item.id }),
        check: (events) =>
          events.length === expected ? null : `${events.length} events, expected ${expected}`,
      };
    },
  });

  let lotTurn = 0;
  kinds.push({
    label: full ? 'lot (MATCH_epcClass / MATCH_anyEPCClass)' : 'lot (MATCH_anyEPCClass)',
    target: true,
    next: (random) => {
      const lot = random.pick(targets.lots);
      // Alternately the LGTIN EPC class URN and the lot's Digital Link (/01/…/10/…).
      lotTurn += 1;
      const value = lotTurn % 2 === 0 ? lot.lgtin : lot.digitalLink;
      const parameter = full && lotTurn % 4 < 2 ? 'MATCH_epcClass' : 'MATCH_anyEPCClass';
      const expected = Math.min(lot.events, PAGE);
      return {
        path: query({ [parameter]: value }),
        // A lot-level lot: exactly its quantity events. A serialised lot: at least its release
        // (quantityList); class-level matching may add its instances' events.
        check: (events) =>
          (lot.serialised ? events.length >= expected : events.length === expected)
            ? null
            : `${events.length} events, expected ${lot.serialised ? '≥ ' : ''}${expected}`,
      };
    },
  });

  // Every event of every item of a serialised lot (class-level matching of instances: serials
  // written with their lot, and those commissioned in it per their ILMD): a recall's first query.
  const serialisedLots = targets.lots.filter((lot) => lot.serialised);
  if (full && serialisedLots.length > 0) {
    kinds.push({
      label: "MATCH_anyEPC (a serialised lot's items)",
      target: false,
      next: (random) => {
        const lot = random.pick(serialisedLots);
        const gtin = /\/01\/(\d{14})\//.exec(lot.digitalLink)[1];
        return {
          path: query({ MATCH_anyEPC: lot.digitalLink }),
          check: (events) => {
            if (events.length === 0) return 'no events';
            const bad = events.find(
              (e) => !JSON.stringify([e.epcList, e.childEPCs]).includes(`/01/${gtin}/`),
            );
            return bad ? `event ${bad.eventID} names no item of the lot's GTIN` : null;
          },
        };
      },
    });
  }

  kinds.push({
    label: 'MATCH_anyEPC (pallet SSCC)',
    target: false,
    next: (random) => {
      const pallet = random.pick(targets.pallets);
      const expected = Math.min(pallet.events, PAGE);
      return {
        path: query({ MATCH_anyEPC: pallet.sscc }),
        check: (events) =>
          events.length === expected ? null : `${events.length} events, expected ${expected}`,
      };
    },
  });

  if (!full) return kinds;

  kinds.push({
    label: 'EQ_bizStep + 1-day eventTime window',
    target: false,
    next: (random) => {
      const step = random.pick(['receiving', 'shipping', 'commissioning', 'retail_selling']);
      const from = firstDay + Math.floor(random() * (lastDay - firstDay));
      return {
        path: query({ EQ_bizStep: step, GE_eventTime: time(from), LT_eventTime: time(from + DAY) }),
        check: (events) => {
          const bad = events.find(
            (e) =>
              !named(e.bizStep, step) ||
              Date.parse(e.eventTime) < from ||
              Date.parse(e.eventTime) >= from + DAY,
          );
          return bad ? `event ${bad.eventID} does not match` : null;
        },
      };
    },
  });

  kinds.push({
    label: 'eventType + GE_eventTime, orderBy eventTime DESC',
    target: false,
    next: (random) => {
      const type = random.chance(0.8) ? 'ObjectEvent' : 'AggregationEvent';
      const from = targets.lastTime - Math.floor(random() * 30 * DAY) - DAY;
      return {
        path: query({
          eventType: type,
          GE_eventTime: time(from),
          orderBy: 'eventTime',
          orderDirection: 'DESC',
        }),
        check: (events) => {
          for (let i = 0; i < events.length; i += 1) {
            const t = Date.parse(events[i].eventTime);
            if (events[i].type !== type || t < from) {
              return `event ${events[i].eventID} does not match`;
            }
            if (i > 0 && t > Date.parse(events[i - 1].eventTime)) {
              return 'not in descending eventTime';
            }
          }
          return events.length === 0 ? 'no events' : null;
        },
      };
    },
  });

  kinds.push({
    label: 'EQ_bizLocation (one site)',
    target: false,
    next: (random) => {
      const sgln = random.pick(targets.locations);
      return {
        path: query({ EQ_bizLocation: sgln }),
        check: (events) => {
          const bad = events.find((e) => !sameLocation(e.bizLocation?.id, sgln));
          return bad
            ? `event ${bad.eventID} is at ${bad.bizLocation?.id}`
            : events.length === 0
              ? 'no events'
              : null;
        },
      };
    },
  });
  return kinds;
};
