// A seeded, realistic EPCIS 2.0 event stream for `npm run bench:query`: many organizations
// (brand owners with plants, distributors with distribution centres, retailers with stores), their
// products and lots, and the life of every lot from commissioning to the shop floor, emitted in
// event-time order as capture documents, one organization's events per document (each party
// captures what happens at its own locations).
//
// Two kinds of lot:
//  - serialised (pharmaceuticals, consumer goods): 100–1,000 items, each an SGTIN (an EPC URN, or a
//    Digital Link carrying its lot: /01/…/10/…/21/…). Every item is commissioned (ObjectEvent ADD
//    with the lot in its ILMD), packed onto an SSCC pallet (AggregationEvent ADD), unpacked at a
//    distribution centre (AggregationEvent DELETE), shipped to a store in a tote and received there
//    (ObjectEvents naming the tote's items), and most are sold (retail_selling); some are inspected
//    at the store and some returned: 5–8 events name each item. The pallet itself is shipped and
//    received (ObjectEvents naming the SSCC, with purchase order and despatch advice, source and
//    destination parties and locations; cold-chain products carry temperature sensor reports). The
//    lot is released once (an inspecting ObjectEvent with its LGTIN in quantityList).
//  - lot-level (fresh food and bulk goods, not serialised): 100–1,000 units of one LGTIN, commissioned
//    with ILMD, shipped and received as quantities to distribution centres and on to stores.
//
// Everything is drawn from one seeded generator, so a seed always gives the same events; the
// query targets (items, lots, pallets, locations) are drawn from what was emitted, with their own
// seeded generator (pickTargets).

export const GENERATOR_VERSION = 1;
const DAY = 86_400_000;
const HOUR = 3_600_000;
const MINUTE = 60_000;
const START = Date.UTC(2025, 0, 1, 6, 0, 0);
const SPAN_DAYS = 600;
const CONTEXT = ['https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld'];

/** sfc32, seeded through splitmix32: a small, fast generator of floats in [0, 1). */
export const seededRandom = (seed) => {
  let s = seed >>> 0;
  const split = () => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  };
  let a = split();
  let b = split();
  let c = split();
  let d = split();
  const next = () => {
    const t = (((a + b) >>> 0) + d) >>> 0;
    d = (d + 1) >>> 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) >>> 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) >>> 0;
    return t / 4294967296;
  };
  for (let i = 0; i < 12; i += 1) next();
  const random = next;
  random.int = (lo, hi) => lo + Math.floor(next() * (hi - lo + 1));
  random.pick = (list) => list[Math.floor(next() * list.length)];
  random.chance = (p) => next() < p;
  return random;
};

const gs1CheckDigit = (digits) => {
  let sum = 0;
  for (let j = 0; j < digits.length; j += 1) {
    sum += Number(digits[digits.length - 1 - j]) * (j % 2 === 0 ? 3 : 1); // 3, 1, 3, … from the right
  }
  return String((10 - (sum % 10)) % 10);
};
const pad = (n, width) => String(n).padStart(width, '0');
const iso = (t, offset) => {
  // eventTime in the location's local time with its offset, as producers write it.
  const sign = offset[0] === '-' ? -1 : 1;
  const minutes = sign * (Number(offset.slice(1, 3)) * 60 + Number(offset.slice(4, 6)));
  return `${new Date(t + minutes * MINUTE).toISOString().slice(0, 23)}${offset}`;
};

/** The world: organizations, locations, products. */
const buildWorld = (random) => {
  const offsets = ['+01:00', '+00:00', '+02:00', '-05:00', '-06:00', '-08:00', '+09:00'];
  const organizations = [];
  let prefix = 4_012_345;
  const organization = (role, name, siteCount, siteKind) => {
    prefix += random.int(7, 97);
    const cp = String(prefix);
    const offset = random.pick(offsets);
    const org = {
      index: organizations.length,
      role,
      name,
      cp,
      offset,
      gln13: cp + '00000' + gs1CheckDigit(cp + '00000'),
      pgln: `urn:epc:id:pgln:${cp}.00000`,
      sites: [],
    };
    for (let s = 1; s <= siteCount; s += 1) {
      const locRef = pad(s, 5);
      org.sites.push({
        org,
        kind: siteKind,
        sgln: `urn:epc:id:sgln:${cp}.${locRef}.0`,
        readPoints: [1, 2, 3].map((door) => `urn:epc:id:sgln:${cp}.${locRef}.${door}`),
        offset,
      });
    }
    organizations.push(org);
    return org;
  };
  const makers = Array.from({ length: 10 }, (_, i) =>
    organization('brand owner', `Bench maker ${i + 1}`, random.int(1, 3), 'plant'),
  );
  const distributors = Array.from({ length: 6 }, (_, i) =>
    organization(
      'distributor',
      `Bench distributor ${i + 1}`,
      random.int(2, 4),
      'distribution centre',
    ),
  );
  const retailers = Array.from({ length: 14 }, (_, i) =>
    organization('retailer', `Bench retailer ${i + 1}`, random.int(6, 16), 'store'),
  );
  const products = [];
  for (const maker of makers) {
    const count = random.int(8, 16);
    for (let p = 0; p < count; p += 1) {
      const itemRef = `0${pad(10_000 + products.length * 7 + random.int(0, 6), 5)}`;
      const digits13 = itemRef[0] + maker.cp + itemRef.slice(1);
      const serialised = random.chance(0.6);
      products.push({
        maker,
        itemRef,
        gtin: digits13 + gs1CheckDigit(digits13),
        serialised,
        // Serialised items as EPC URNs or as Digital Links that carry their lot.
        digitalLink: serialised && random.chance(0.5),
        coldChain: random.chance(0.3),
        uom: serialised ? undefined : random.pick(['KGM', 'EA', 'LTR']),
      });
    }
  }
  return { organizations, makers, distributors, retailers, products };
};

/** A binary min-heap of pending events by time (then by insertion order, for stability). */
class Pending {
  items = [];
  n = 0;
  push(time, build) {
    const entry = { time, order: this.n++, build };
    const items = this.items;
    items.push(entry);
    let i = items.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!before(items[i], items[parent])) break;
      [items[i], items[parent]] = [items[parent], items[i]];
      i = parent;
    }
  }
  peek() {
    return this.items[0];
  }
  pop() {
    const items = this.items;
    const top = items[0];
    const last = items.pop();
    if (items.length > 0) {
      items[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < items.length && before(items[l], items[m])) m = l;
        if (r < items.length && before(items[r], items[m])) m = r;
        if (m === i) break;
        [items[i], items[m]] = [items[m], items[i]];
        i = m;
      }
    }
    return top;
  }
  get size() {
    return this.items.length;
  }
}
const before = (a, b) => a.time < b.time || (a.time === b.time && a.order < b.order);

/**
 * The event stream of `events` events, as capture documents of at most `docEvents` events of one
 * organization each: an iterator of { organization (index), document, events (count) }. After it
 * is exhausted, `catalogue` holds what was generated (organizations, items, lots, pallets,
 * locations) for pickTargets.
 */
export const supplyChain = ({ seed, events: total, docEvents }) => {
  const random = seededRandom(seed);
  const world = buildWorld(random);
  const catalogue = {
    world,
    items: [], // serialised items: { id, events }
    lots: [], // { lgtin, digitalLink, serialised, events }
    pallets: [], // { sscc, events }
    firstTime: Infinity,
    lastTime: -Infinity,
  };
  const pending = new Pending();
  let emitted = 0;
  let ssccSerial = 0;
  let poNumber = 100_000;

  // Lots start at random over SPAN_DAYS: a serialised lot (one in eleven) brings ≈ 2.24 events per
  // item and 390 items on average, a lot-level lot ≈ 41 events, so ≈ 68 % of events are item-level.
  const meanEventsPerLot = (1 / 11) * 2.24 * 391 + (10 / 11) * 41;
  const serialisedProducts = world.products.filter((p) => p.serialised);
  const lotLevelProducts = world.products.filter((p) => !p.serialised);
  const meanInterval = (SPAN_DAYS * DAY * meanEventsPerLot) / total;

  const common = (time, site, door, extra) => ({
    eventTime: iso(time, site.offset),
    eventTimeZoneOffset: site.offset,
    ...extra,
    readPoint: { id: site.readPoints[door] },
    bizLocation: { id: site.sgln },
  });
  const parties = (from, to) => ({
    sourceList: [
      { type: 'owning_party', source: from.org.pgln },
      { type: 'location', source: from.sgln },
    ],
    destinationList: [
      { type: 'owning_party', destination: to.org.pgln },
      { type: 'location', destination: to.sgln },
    ],
  });
  const transactions = (buyer, seller) => {
    poNumber += 1;
    return [
      { type: 'po', bizTransaction: `urn:epcglobal:cbv:bt:${buyer.org.gln13}:PO${poNumber}` },
      {
        type: 'desadv',
        bizTransaction: `urn:epcglobal:cbv:bt:${seller.org.gln13}:DA${poNumber}`,
      },
    ];
  };
  const sensors = (time, site, base) => [
    {
      sensorMetadata: {
        time: iso(time, site.offset),
        deviceID: `urn:epc:id:giai:${site.org.cp}.${random.int(1, 40)}`,
      },
      sensorReport: [
        {
          type: 'Temperature',
          minValue: base - 1.5,
          maxValue: base + 2.5,
          meanValue: base,
          uom: 'CEL',
        },
        { type: 'RelativeHumidity', value: random.int(60, 95), uom: 'P1' },
      ],
    },
  ];
  const round1 = (x) => Math.round(x * 10) / 10;

  // Each scheduled event: push(time, organization, build(time) → the event), counting items.
  const schedule = (time, org, build, named = []) => pending.push(time, { org, build, named });

  const serialisedLot = (t0, product, plant, lotNumber) => {
    const size = Math.round(Math.exp(random() * Math.log(10)) * 100); // 100–1,000, log-uniform
    const lot = {
      lgtin: `urn:epc:class:lgtin:${product.maker.cp}.${product.itemRef}.${lotNumber}`,
      digitalLink: `https://id.gs1.org/01/${product.gtin}/10/${lotNumber}`,
      serialised: true,
      events: 0,
    };
    catalogue.lots.push(lot);
    const expiry = new Date(t0 + random.int(365, 900) * DAY).toISOString().slice(0, 10);
    const items = [];
    for (let i = 0; i < size; i += 1) {
      const serial = `${lotNumber}${pad(i + 1, 4)}${random.int(10, 99)}`;
      const id = product.digitalLink
        ? `https://id.gs1.org/01/${product.gtin}/10/${lotNumber}/21/${serial}`
        : `urn:epc:id:sgtin:${product.maker.cp}.${product.itemRef}.${serial}`;
      const item = { id, events: 0 };
      items.push(item);
      catalogue.items.push(item);
      // Commissioning at the serialisation line, a few seconds apart.
      schedule(
        t0 + i * random.int(2_000, 6_000),
        plant.org,
        (t) => ({
          type: 'ObjectEvent',
          ...common(t, plant, 0, {
            epcList: [id],
            action: 'ADD',
            bizStep: 'commissioning',
            disposition: 'active',
          }),
          ilmd: { 'cbvmda:lotNumber': lotNumber, 'cbvmda:itemExpirationDate': expiry },
        }),
        [item],
      );
    }
    const packed = t0 + size * 6_000 + HOUR;
    // Lot release by quality assurance.
    schedule(
      packed,
      plant.org,
      (t) => ({
        type: 'ObjectEvent',
        ...common(t, plant, 1, { epcList: [], action: 'OBSERVE', bizStep: 'inspecting' }),
        disposition: 'conformant',
        quantityList: [{ epcClass: lot.lgtin, quantity: size }],
      }),
      [lot],
    );
    // Pallets of 24–120 items, each to one distribution centre and on to stores in totes.
    let i = 0;
    let palletTime = packed + 10 * MINUTE;
    while (i < size) {
      const n = Math.min(size - i, random.int(24, 120));
      const pallet = items.slice(i, i + n);
      i += n;
      palletTime += random.int(3, 20) * MINUTE;
      palletLife(palletTime, product, plant, pallet);
    }
  };

  const palletLife = (t, product, plant, pallet) => {
    ssccSerial += 1;
    const sscc = `urn:epc:id:sscc:${plant.org.cp}.${pad(ssccSerial, 10)}`;
    const p = { sscc, events: 0 };
    catalogue.pallets.push(p);
    const children = pallet.map((item) => item.id);
    const dc = random.pick(random.pick(world.distributors).sites);
    schedule(
      t,
      plant.org,
      (time) => ({
        type: 'AggregationEvent',
        ...common(time, plant, 1, {
          parentID: sscc,
          childEPCs: children,
          action: 'ADD',
          bizStep: 'packing',
          disposition: 'in_progress',
        }),
      }),
      [p, ...pallet],
    );
    const shipped = t + random.int(4, 60) * HOUR;
    const received = shipped + random.int(10, 72) * HOUR;
    const temperature = product.coldChain ? 4 : 18;
    const palletTransactions = transactions(dc, plant);
    schedule(
      shipped,
      plant.org,
      (time) => ({
        type: 'ObjectEvent',
        ...common(time, plant, 2, {
          epcList: [sscc],
          action: 'OBSERVE',
          bizStep: 'shipping',
          disposition: 'in_transit',
        }),
        bizTransactionList: palletTransactions,
        ...parties(plant, dc),
      }),
      [p],
    );
    schedule(
      received,
      dc.org,
      (time) => ({
        type: 'ObjectEvent',
        ...common(time, dc, 0, {
          epcList: [sscc],
          action: 'OBSERVE',
          bizStep: 'receiving',
          disposition: 'in_progress',
        }),
        bizTransactionList: palletTransactions,
        ...parties(plant, dc),
        ...(product.coldChain
          ? { sensorElementList: sensors(time, dc, round1(temperature + random() * 2)) }
          : {}),
      }),
      [p],
    );
    const unpacked = received + random.int(1, 24) * HOUR;
    schedule(
      unpacked,
      dc.org,
      (time) => ({
        type: 'AggregationEvent',
        ...common(time, dc, 1, {
          parentID: sscc,
          childEPCs: children,
          action: 'DELETE',
          bizStep: 'unpacking',
        }),
      }),
      [p, ...pallet],
    );
    // Totes of 6–24 items to stores of one or two retailers.
    let k = 0;
    while (k < pallet.length) {
      const tote = pallet.slice(k, k + random.int(6, 24));
      k += tote.length;
      const store = random.pick(random.pick(world.retailers).sites);
      const out = unpacked + random.int(6, 240) * HOUR;
      const arrived = out + random.int(4, 48) * HOUR;
      const ids = tote.map((item) => item.id);
      const bt = transactions(store, dc);
      schedule(
        out,
        dc.org,
        (time) => ({
          type: 'ObjectEvent',
          ...common(time, dc, 2, {
            epcList: ids,
            action: 'OBSERVE',
            bizStep: 'shipping',
            disposition: 'in_transit',
          }),
          bizTransactionList: bt,
          ...parties(dc, store),
        }),
        tote,
      );
      schedule(
        arrived,
        store.org,
        (time) => ({
          type: 'ObjectEvent',
          ...common(time, store, 0, {
            epcList: ids,
            action: 'OBSERVE',
            bizStep: 'receiving',
            disposition: 'sellable_not_accessible',
          }),
          bizTransactionList: bt,
          ...parties(dc, store),
        }),
        tote,
      );
      for (const item of tote) {
        let shelf = arrived + random.int(1, 72) * HOUR;
        if (random.chance(0.15)) {
          schedule(
            shelf,
            store.org,
            (time) => ({
              type: 'ObjectEvent',
              ...common(time, store, 1, {
                epcList: [item.id],
                action: 'OBSERVE',
                bizStep: 'inspecting',
                disposition: 'sellable_accessible',
              }),
            }),
            [item],
          );
        }
        if (!random.chance(0.85)) continue;
        shelf += random.int(1, 30 * 24) * HOUR + random.int(0, 59) * MINUTE;
        schedule(
          shelf,
          store.org,
          (time) => ({
            type: 'ObjectEvent',
            ...common(time, store, 2, {
              epcList: [item.id],
              action: 'OBSERVE',
              bizStep: 'retail_selling',
              disposition: 'retail_sold',
            }),
          }),
          [item],
        );
        if (random.chance(0.06)) {
          schedule(
            shelf + random.int(1, 14 * 24) * HOUR,
            store.org,
            (time) => ({
              type: 'ObjectEvent',
              ...common(time, store, 0, {
                epcList: [item.id],
                action: 'OBSERVE',
                bizStep: 'receiving',
                disposition: 'returned',
              }),
            }),
            [item],
          );
        }
      }
    }
  };

  const lotLevelLot = (t0, product, plant, lotNumber) => {
    const size = Math.round(Math.exp(random() * Math.log(10)) * 100);
    const lot = {
      lgtin: `urn:epc:class:lgtin:${product.maker.cp}.${product.itemRef}.${lotNumber}`,
      digitalLink: `https://id.gs1.org/01/${product.gtin}/10/${lotNumber}`,
      serialised: false,
      events: 0,
    };
    catalogue.lots.push(lot);
    const quantity = (q) => ({
      epcClass: lot.lgtin,
      quantity: q,
      ...(product.uom ? { uom: product.uom } : {}),
    });
    const expiry = new Date(t0 + random.int(5, 40) * DAY).toISOString().slice(0, 10);
    schedule(
      t0,
      plant.org,
      (t) => ({
        type: 'ObjectEvent',
        ...common(t, plant, 0, {
          epcList: [],
          action: 'ADD',
          bizStep: 'commissioning',
          disposition: 'active',
        }),
        quantityList: [quantity(size)],
        ilmd: { 'cbvmda:lotNumber': lotNumber, 'cbvmda:bestBeforeDate': expiry },
      }),
      [lot],
    );
    // 2–6 shipments to distribution centres, each split over 2–6 stores.
    let left = size;
    const shipments = random.int(2, 6);
    for (let s = 0; s < shipments && left > 0; s += 1) {
      const q =
        s === shipments - 1
          ? left
          : Math.max(1, Math.round((left / (shipments - s)) * (0.6 + random() * 0.8)));
      left -= q;
      const dc = random.pick(random.pick(world.distributors).sites);
      const out = t0 + random.int(2, 48) * HOUR;
      const arrived = out + random.int(6, 48) * HOUR;
      const bt = transactions(dc, plant);
      schedule(
        out,
        plant.org,
        (t) => ({
          type: 'ObjectEvent',
          ...common(t, plant, 2, {
            epcList: [],
            action: 'OBSERVE',
            bizStep: 'shipping',
            disposition: 'in_transit',
          }),
          quantityList: [quantity(q)],
          bizTransactionList: bt,
          ...parties(plant, dc),
        }),
        [lot],
      );
      schedule(
        arrived,
        dc.org,
        (t) => ({
          type: 'ObjectEvent',
          ...common(t, dc, 0, {
            epcList: [],
            action: 'OBSERVE',
            bizStep: 'receiving',
            disposition: 'in_progress',
          }),
          quantityList: [quantity(q)],
          bizTransactionList: bt,
          ...parties(plant, dc),
          ...(product.coldChain
            ? { sensorElementList: sensors(t, dc, round1(2 + random() * 3)) }
            : {}),
        }),
        [lot],
      );
      let rest = q;
      const stores = random.int(2, 6);
      for (let r = 0; r < stores && rest > 0; r += 1) {
        const part = r === stores - 1 ? rest : Math.max(1, Math.round(rest / (stores - r)));
        rest -= part;
        const store = random.pick(random.pick(world.retailers).sites);
        const out2 = arrived + random.int(4, 72) * HOUR;
        const in2 = out2 + random.int(3, 24) * HOUR;
        const bt2 = transactions(store, dc);
        for (const [time, site, door, bizStep, disposition] of [
          [out2, dc, 2, 'shipping', 'in_transit'],
          [in2, store, 0, 'receiving', 'sellable_accessible'],
        ]) {
          schedule(
            time,
            site.org,
            (t) => ({
              type: 'ObjectEvent',
              ...common(t, site, door, { epcList: [], action: 'OBSERVE', bizStep, disposition }),
              quantityList: [quantity(part)],
              bizTransactionList: bt2,
              ...parties(dc, store),
            }),
            [lot],
          );
        }
      }
    }
  };

  function* documents() {
    const buffers = world.organizations.map(() => []);
    const emit = (entry) => {
      const { org, build, named } = entry.build;
      const event = build(entry.time);
      for (const thing of named) thing.events += 1;
      catalogue.firstTime = Math.min(catalogue.firstTime, entry.time);
      catalogue.lastTime = Math.max(catalogue.lastTime, entry.time);
      emitted += 1;
      const buffer = buffers[org.index];
      buffer.push(event);
      return buffer.length >= docEvents ? org.index : -1;
    };
    const take = (org) => {
      const eventList = buffers[org].splice(0);
      return {
        organization: org,
        events: eventList.length,
        document: {
          '@context': CONTEXT,
          type: 'EPCISDocument',
          schemaVersion: '2.0',
          creationDate: new Date(START).toISOString(),
          epcisBody: { eventList },
        },
      };
    };
    let time = START;
    let lotCount = 0;
    while (emitted < total) {
      time += -Math.log(1 - random()) * meanInterval;
      // Everything due before this lot starts, in time order.
      while (emitted < total && pending.size > 0 && pending.peek().time < time) {
        const full = emit(pending.pop());
        if (full >= 0) yield take(full);
      }
      if (emitted >= total) break;
      lotCount += 1;
      const serialised = random.chance(1 / 11);
      const product = random.pick(serialised ? serialisedProducts : lotLevelProducts);
      const plant = random.pick(product.maker.sites);
      const lotNumber = `L${pad(lotCount, 6)}`;
      if (serialised) serialisedLot(time, product, plant, lotNumber);
      else lotLevelLot(time, product, plant, lotNumber);
    }
    for (let org = 0; org < buffers.length; org += 1) {
      if (buffers[org].length > 0) yield take(org);
    }
  }
  return { documents: documents(), catalogue, organizations: world.organizations };
};

/** Seeded query targets drawn from what was emitted (each named by at least one event). */
export const pickTargets = (catalogue, seed, count = 500) => {
  const random = seededRandom(seed ^ 0x5eed);
  const sample = (list) => {
    const named = list.filter((x) => x.events > 0);
    return Array.from({ length: Math.min(count, named.length) }, () => random.pick(named));
  };
  const locations = catalogue.world.organizations.flatMap((org) => org.sites.map((s) => s.sgln));
  return {
    items: sample(catalogue.items).map(({ id, events }) => ({ id, events })),
    lots: sample(catalogue.lots).map(({ lgtin, digitalLink, serialised, events }) => ({
      lgtin,
      digitalLink,
      serialised,
      events,
    })),
    pallets: sample(catalogue.pallets).map(({ sscc, events }) => ({ sscc, events })),
    locations: Array.from({ length: count }, () => random.pick(locations)),
    firstTime: catalogue.firstTime,
    lastTime: catalogue.lastTime,
  };
};
