// A generated multi-tier supply chain (issue 5 §3), deterministic for a seed: farms → packers
// (harvested lots, cooling, packing transformations) → processors (transformations with splits
// and merges of lots, serialisation by transformation or by ILMD commissioning, instance-level
// kits) → aggregation onto SSCC pallets with a reusable temperature logger associated, shipping
// and receiving, disaggregation and repacking at distributors → retailers (unpacking, sales).
//
// It returns the EPCIS 2.0 events AND an independent model of what went into what, written down
// as the events are made (never parsed back from them):
//   - events:       { eventID, time (ms), names: [EPC URIs the event names in any role, and the
//                     lot its ILMD gives its items], locations, parties }
//   - derivations:  { from, to, time, eventID }: `to` was made from `from` (a transformation's
//                     input → output, or a lot → an item commissioned into it)
//   - containments: { parent, child, packedAt, unpackedAt, unpackNamesChild }: `child` was in
//                     `parent` from packedAt until unpackedAt (Infinity: never unpacked)
// Used by the trace test (apps/api/test/e2e/trace-chain.e2e.test.ts, a few hundred events) and by
// `npm run bench:trace` (bench/trace.mjs, the same generator at about 10,000 events).
//
// Identifiers are EPC URIs (no check digits to compute): company prefixes of 7 digits, item
// references of 6, so that every GS1 key has the right length.

/** mulberry32: a small, fast, seeded PRNG (uniform in [0, 1)). */
const prng = (seed) => {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
};

const START = Date.parse('2026-05-01T00:00:00.000Z');
/** Minutes between two consecutive events: every event has its own instant. */
const TICK = 60_000;

/**
 * @param {{ seed?: number, scale?: number }} [options] scale 1 ≈ 400 events; the count grows
 *   linearly with scale.
 */
export const generateSupplyChain = ({ seed = 1, scale = 1 } = {}) => {
  const random = prng(seed);
  const int = (lo, hi) => lo + Math.floor(random() * (hi - lo + 1));
  const pick = (list) => list[Math.floor(random() * list.length)];
  const chance = (p) => random() < p;

  let clock = START;
  let serial = 0;
  const events = [];
  const model = { events: [], derivations: [], containments: [] };

  // ── parties ────────────────────────────────────────────────────────────────────────────────
  const party = (tier, n) => {
    const cp = String(tier * 100_000 + 9_000_000 + n);
    return {
      cp,
      name: `${['', 'farm', 'packer', 'processor', 'distributor', 'retailer'][tier]}-${n}`,
      pgln: `urn:epc:id:pgln:${cp}.00000`,
      site: `urn:epc:id:sgln:${cp}.00001.0`,
      cooler: `urn:epc:id:sgln:${cp}.00001.1`,
    };
  };
  const tierOf = (tier, count) => Array.from({ length: count }, (_, i) => party(tier, i + 1));
  const farms = tierOf(1, 4 * scale);
  const packers = tierOf(2, 2 * scale);
  const processors = tierOf(3, 2 * scale);
  const distributors = tierOf(4, Math.max(1, scale));
  const retailers = tierOf(5, 3 * scale);

  // ── one event: the EPCIS event and its model record, made together ──────────────────────────
  const emit = (event, { names, at }) => {
    clock += TICK;
    const eventID = `urn:uuid:${String(seed).padStart(8, '0')}-0000-4000-8000-${String(events.length + 1).padStart(12, '0')}`;
    const locations = [at.site];
    const parties = [];
    for (const entry of [...(event.sourceList ?? []), ...(event.destinationList ?? [])]) {
      const id = entry.source ?? entry.destination;
      (entry.type === 'location' ? locations : parties).push(id);
    }
    events.push({
      type: event.type,
      eventID,
      eventTime: new Date(clock).toISOString(),
      eventTimeZoneOffset: '+00:00',
      ...event,
      readPoint: { id: at.site },
    });
    model.events.push({ eventID, time: clock, names: [...new Set(names)], locations, parties });
    return { eventID, time: clock };
  };

  const lotOf = (owner, item, lot) => `urn:epc:class:lgtin:${owner.cp}.${item}.${lot}`;
  const itemOf = (owner, item) => `urn:epc:id:sgtin:${owner.cp}.${item}.${++serial}`;
  const kg = (epcClass) => ({ epcClass, quantity: int(50, 500), uom: 'KGM' });
  const hand = (from, to) => ({
    sourceList: [
      { type: 'owning_party', source: from.pgln },
      { type: 'location', source: from.site },
    ],
    destinationList: [
      { type: 'owning_party', destination: to.pgln },
      { type: 'location', destination: to.site },
    ],
  });

  /** Ships `what` (quantities or EPCs) from one party to another: shipping, then receiving. */
  const ship = (from, to, { quantities = [], epcs = [] }) => {
    const named = [...quantities, ...epcs];
    const body = {
      ...(epcs.length > 0 || quantities.length === 0 ? { epcList: epcs } : { epcList: [] }),
      ...(quantities.length > 0 ? { quantityList: quantities.map(kg) } : {}),
      action: 'OBSERVE',
    };
    emit(
      {
        type: 'ObjectEvent',
        ...body,
        bizStep: 'shipping',
        disposition: 'in_transit',
        ...hand(from, to),
      },
      { names: named, at: from },
    );
    emit(
      {
        type: 'ObjectEvent',
        ...body,
        bizStep: 'receiving',
        disposition: 'in_progress',
        ...hand(from, to),
      },
      { names: named, at: to },
    );
  };

  /** A transformation of lots (class level): inputs → outputs. */
  const transform = (at, inputs, outputs, extra = {}) => {
    const { eventID, time } = emit(
      {
        type: 'TransformationEvent',
        inputQuantityList: inputs.map(kg),
        outputQuantityList: outputs.map(kg),
        bizStep: 'commissioning',
        disposition: 'active',
        ...extra,
      },
      { names: [...inputs, ...outputs], at },
    );
    for (const from of inputs) {
      for (const to of outputs) model.derivations.push({ from, to, time, eventID });
    }
  };

  /**
   * Lots of one tier made from the lots a party received: splits (1 → 2), merges (2 → 1) and
   * plain conversions (1 → 1); an input lot may be used by two transformations.
   */
  const makeLots = (owner, received, item, prefix) => {
    const made = [];
    let pool = [...received];
    let n = 0;
    const next = () => lotOf(owner, item, `${prefix}${owner.cp.slice(-3)}-${++n}`);
    while (pool.length > 0) {
      const kind = pool.length >= 2 && chance(0.3) ? 'merge' : chance(0.3) ? 'split' : 'plain';
      const inputs = kind === 'merge' ? pool.splice(0, 2) : pool.splice(0, 1);
      const outputs = kind === 'split' ? [next(), next()] : [next()];
      transform(owner, inputs, outputs);
      made.push(...outputs);
      // Part of this input goes into a later transformation too (time windows matter).
      if (kind === 'plain' && chance(0.2)) pool.push(inputs[0]);
    }
    return made;
  };

  // ── 1. farms: harvest (commissioning a lot), cooling, shipping to a packer ─────────────────
  const atPacker = new Map(packers.map((p) => [p, []]));
  for (const farm of farms) {
    for (let h = 0; h < 3; h += 1) {
      const lot = lotOf(farm, '100001', `H${farm.cp.slice(-3)}-${h + 1}`);
      emit(
        {
          type: 'ObjectEvent',
          epcList: [],
          quantityList: [kg(lot)],
          action: 'ADD',
          bizStep: 'commissioning',
          disposition: 'active',
        },
        { names: [lot], at: farm },
      );
      const packer = pick(packers);
      ship(farm, packer, { quantities: [lot] });
      // Cooling at the packer: the lot in the cooler.
      emit(
        {
          type: 'ObjectEvent',
          epcList: [],
          quantityList: [kg(lot)],
          action: 'OBSERVE',
          bizStep: 'storing',
          disposition: 'in_progress',
          bizLocation: { id: packer.cooler },
        },
        { names: [lot], at: packer },
      );
      model.events.at(-1).locations.push(packer.cooler);
      atPacker.get(packer).push(lot);
    }
  }

  // ── 2. packers: packing transformations, then shipping lots to processors ──────────────────
  const atProcessor = new Map(processors.map((p) => [p, []]));
  for (const packer of packers) {
    const lots = makeLots(packer, atPacker.get(packer), '200001', 'P');
    for (const lot of lots) {
      const processor = pick(processors);
      ship(packer, processor, { quantities: [lot] });
      atProcessor.get(processor).push(lot);
    }
  }

  // ── 3. processors: transformations (splits, merges), serialisation, kits, pallets ──────────
  const loggers = Array.from({ length: 2 + scale }, (_, i) => `urn:epc:id:giai:9999999.${i + 1}`);
  /** Packs children onto a new pallet, with a logger associated while it travels to `to`. */
  const palletise = (from, to, items, bulk) => {
    const sscc = `urn:epc:id:sscc:${from.cp}.${String(++serial).padStart(10, '0')}`;
    const { time: packedAt } = emit(
      {
        type: 'AggregationEvent',
        parentID: sscc,
        childEPCs: items,
        ...(bulk.length > 0 ? { childQuantityList: bulk.map(kg) } : {}),
        action: 'ADD',
        bizStep: 'packing',
        disposition: 'in_progress',
      },
      { names: [sscc, ...items, ...bulk], at: from },
    );
    const packed = [...items, ...bulk].map((child) => {
      const c = { parent: sscc, child, packedAt, unpackedAt: Infinity, unpackNamesChild: false };
      model.containments.push(c);
      return c;
    });
    const logger = pick(loggers);
    const { time: associatedAt } = emit(
      {
        type: 'AssociationEvent',
        parentID: logger,
        childEPCs: [sscc],
        action: 'ADD',
        bizStep: 'installing',
      },
      { names: [logger, sscc], at: from },
    );
    const association = {
      parent: logger,
      child: sscc,
      packedAt: associatedAt,
      unpackedAt: Infinity,
      unpackNamesChild: true,
    };
    model.containments.push(association);
    ship(from, to, { epcs: [sscc] });
    // A reading of the logger in transit (names the logger only).
    emit(
      { type: 'ObjectEvent', epcList: [logger], action: 'OBSERVE', bizStep: 'sensor_reporting' },
      { names: [logger], at: to },
    );
    const { time: dissociatedAt } = emit(
      {
        type: 'AssociationEvent',
        parentID: logger,
        childEPCs: [sscc],
        action: 'DELETE',
        bizStep: 'removing',
      },
      { names: [logger, sscc], at: to },
    );
    association.unpackedAt = dissociatedAt;
    // Unpacking: naming every child, or naming none (everything unpacked).
    const named = chance(0.5);
    const { time: unpackedAt } = emit(
      {
        type: 'AggregationEvent',
        parentID: sscc,
        childEPCs: named ? items : [],
        ...(named && bulk.length > 0 ? { childQuantityList: bulk.map(kg) } : {}),
        action: 'DELETE',
        bizStep: 'unpacking',
      },
      { names: named ? [sscc, ...items, ...bulk] : [sscc], at: to },
    );
    for (const c of packed) Object.assign(c, { unpackedAt, unpackNamesChild: named });
    return sscc;
  };

  const atDistributor = new Map(distributors.map((d) => [d, []]));
  const bulkAtDistributor = new Map(distributors.map((d) => [d, []]));
  for (const processor of processors) {
    const lots = makeLots(processor, atProcessor.get(processor), '300001', 'M');
    // A second round: some of the new lots are blended again (multi-step processing).
    const blended =
      lots.length >= 2 && chance(0.7) ? makeLots(processor, lots.splice(0, 2), '300001', 'B') : [];
    const items = [];
    const bulk = [];
    for (const lot of [...lots, ...blended]) {
      if (chance(0.2)) {
        bulk.push(lot); // shipped as a quantity on a pallet, never serialised
        continue;
      }
      const serials = Array.from({ length: int(2, 5) }, () => itemOf(processor, '300001'));
      const lotNumber = lot.split('.').at(-1);
      if (chance(0.5)) {
        // Serialisation by transformation: the lot in, the items out (with their ILMD lot).
        const { eventID, time } = emit(
          {
            type: 'TransformationEvent',
            inputQuantityList: [kg(lot)],
            outputEPCList: serials,
            bizStep: 'commissioning',
            disposition: 'active',
            ilmd: { 'cbvmda:lotNumber': lotNumber },
          },
          { names: [lot, ...serials], at: processor },
        );
        for (const to of serials) model.derivations.push({ from: lot, to, time, eventID });
      } else {
        // Commissioning with ILMD: the items' lot is known from the ILMD only.
        const { eventID, time } = emit(
          {
            type: 'ObjectEvent',
            epcList: serials,
            action: 'ADD',
            bizStep: 'commissioning',
            disposition: 'active',
            ilmd: { 'cbvmda:lotNumber': lotNumber },
          },
          { names: [lot, ...serials], at: processor },
        );
        for (const to of serials) model.derivations.push({ from: lot, to, time, eventID });
      }
      items.push(...serials);
    }
    // Instance-level transformation: two items into one gift kit.
    if (items.length >= 4 && chance(0.8)) {
      const inputs = items.splice(int(0, items.length - 2), 2);
      const kit = itemOf(processor, '400001');
      const { eventID, time } = emit(
        {
          type: 'TransformationEvent',
          inputEPCList: inputs,
          outputEPCList: [kit],
          bizStep: 'assembling',
          disposition: 'active',
        },
        { names: [...inputs, kit], at: processor },
      );
      for (const from of inputs) model.derivations.push({ from, to: kit, time, eventID });
      items.push(kit);
    }
    // Pallets to distributors: a few items each, mixed lots; the bulk lots on the last one.
    for (let i = 0; i < items.length || (i === 0 && bulk.length > 0); i += 4) {
      const distributor = pick(distributors);
      const onPallet = items.slice(i, i + 4);
      const bulkHere = i + 4 >= items.length ? bulk : [];
      palletise(processor, distributor, onPallet, bulkHere);
      atDistributor.get(distributor).push(...onPallet);
      bulkAtDistributor.get(distributor).push(...bulkHere);
    }
  }

  // ── 4. distributors: repacking onto new pallets for retailers (mixing processors) ──────────
  const atRetailer = new Map(retailers.map((r) => [r, []]));
  const bulkAtRetailer = new Map(retailers.map((r) => [r, []]));
  for (const distributor of distributors) {
    const stock = atDistributor.get(distributor);
    // Shuffle, so that pallets mix items of several processors and lots.
    for (let i = stock.length - 1; i > 0; i -= 1) {
      const j = int(0, i);
      [stock[i], stock[j]] = [stock[j], stock[i]];
    }
    const bulk = bulkAtDistributor.get(distributor);
    for (let i = 0; i < stock.length || (i === 0 && bulk.length > 0); i += 5) {
      const retailer = pick(retailers);
      const onPallet = stock.slice(i, i + 5);
      const bulkHere = i + 5 >= stock.length ? bulk : [];
      palletise(distributor, retailer, onPallet, bulkHere);
      atRetailer.get(retailer).push(...onPallet);
      bulkAtRetailer.get(retailer).push(...bulkHere);
    }
  }

  // ── 5. retailers: sales ────────────────────────────────────────────────────────────────────
  for (const retailer of retailers) {
    for (const item of atRetailer.get(retailer)) {
      if (!chance(0.7)) continue;
      emit(
        {
          type: 'ObjectEvent',
          epcList: [item],
          action: 'OBSERVE',
          bizStep: 'retail_selling',
          disposition: 'retail_sold',
        },
        { names: [item], at: retailer },
      );
    }
    for (const lot of bulkAtRetailer.get(retailer)) {
      emit(
        {
          type: 'ObjectEvent',
          epcList: [],
          quantityList: [kg(lot)],
          action: 'OBSERVE',
          bizStep: 'retail_selling',
          disposition: 'retail_sold',
        },
        { names: [lot], at: retailer },
      );
    }
  }

  return {
    events,
    model,
    parties: { farms, packers, processors, distributors, retailers },
  };
};

/** The kind of a model identifier (EPC URI): what a test or bench picks start identifiers by. */
export const kindOf = (id) =>
  id.startsWith('urn:epc:class:lgtin:')
    ? ({ 1: 'farm-lot', 2: 'packer-lot', 3: 'processor-lot' }[id.split(':')[4][1]] ?? 'lot')
    : id.startsWith('urn:epc:id:sscc:')
      ? 'pallet'
      : id.startsWith('urn:epc:id:sgtin:')
        ? 'item'
        : 'other';
