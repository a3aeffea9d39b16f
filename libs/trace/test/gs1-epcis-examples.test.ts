import { readdirSync, readFileSync } from 'node:fs';

import { describe, expect, it } from '@jest/globals';

import {
  digitalLinkToEpcUri,
  epcUriToDigitalLink,
  formatDigitalLink,
  isDigitalLink,
  parseDigitalLink,
  parseEpcUri,
} from '../src/gs1/index.js';

// Conformance of the GS1 identifier code against the official EPCIS 2.0 JSON-LD examples
// (gs1/EPCIS) and the CBV 2.0 event hash examples (RalphTro/epcis-event-hash-generator); see
// test/vectors/README.md. Every identifier in the fields below must convert.

type Found = { file: string; field: string; id: string };

const ID_LISTS = new Set(['epcList', 'childEPCs', 'inputEPCList', 'outputEPCList']);
const QUANTITY_LISTS = new Set([
  'quantityList',
  'childQuantityList',
  'inputQuantityList',
  'outputQuantityList',
]);

const record = (value: unknown): Record<string, unknown> =>
  value !== null && typeof value === 'object' ? (value as Record<string, unknown>) : {};

// The identifier-bearing fields of EPCIS 2.0 events, wherever they occur in a document.
const collect = (node: unknown, file: string, out: Found[]): void => {
  if (Array.isArray(node)) {
    for (const item of node) collect(item, file, out);
    return;
  }
  for (const [field, value] of Object.entries(record(node))) {
    const items: unknown[] = Array.isArray(value) ? value : [];
    const add = (path: string) => (id: unknown) => out.push({ file, field: path, id: String(id) });
    if (ID_LISTS.has(field)) items.forEach(add(`${field}[]`));
    if (QUANTITY_LISTS.has(field)) {
      items.forEach((q) => add(`${field}[].epcClass`)(record(q).epcClass));
    }
    if (field === 'parentID') add(field)(value);
    if (field === 'readPoint' || field === 'bizLocation') add(`${field}.id`)(record(value).id);
    if (field === 'sourceList') items.forEach((s) => add('sourceList[].source')(record(s).source));
    if (field === 'destinationList') {
      items.forEach((d) => add('destinationList[].destination')(record(d).destination));
    }
    collect(value, file, out);
  }
};

const load = (folder: string): { file: string; json: unknown; dir: URL }[] => {
  const dir = new URL(folder, import.meta.url);
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.jsonld'))
    .sort()
    .map((file) => ({
      file,
      dir,
      json: JSON.parse(readFileSync(new URL(file, dir), 'utf8')) as unknown,
    }));
};

const EXAMPLES = [...load('./vectors/epcis/gs1-examples/'), ...load('./vectors/event-hash/')];
const FOUND = EXAMPLES.flatMap(({ file, json }) => {
  const out: Found[] = [];
  collect(json, file, out);
  return out;
});

describe('identifiers of the EPCIS 2.0 / CBV 2.0 example files', () => {
  it('finds the identifiers (guards the walker itself)', () => {
    expect(EXAMPLES.length).toBeGreaterThanOrEqual(50);
    expect(new Set(FOUND.map((f) => f.id)).size).toBeGreaterThanOrEqual(115);
    const fields = new Set(FOUND.map((f) => f.field));
    expect([...fields].sort()).toEqual([
      'bizLocation.id',
      'childEPCs[]',
      'childQuantityList[].epcClass',
      'destinationList[].destination',
      'epcList[]',
      'inputEPCList[]',
      'inputQuantityList[].epcClass',
      'outputEPCList[]',
      'outputQuantityList[].epcClass',
      'parentID',
      'quantityList[].epcClass',
      'readPoint.id',
      'sourceList[].source',
    ]);
    expect(FOUND.some((f) => f.id.startsWith('urn:epc:idpat:sgtin:'))).toBe(true);
  });

  it('are all GS1 identifiers except the two geo: read points, which EPCIS 2.0 allows', () => {
    const rejected = FOUND.filter(({ id }) => {
      try {
        epcUriToDigitalLink(id);
        return false;
      } catch {
        return true;
      }
    });
    expect(rejected.map(({ file, field, id }) => `${file} ${field} ${id}`)).toEqual([
      'WithSensorData/SensorDataExample16.jsonld readPoint.id geo:42.698334,23.319941',
      'epcisDocWithShippingAndTransportingEvent.jsonld readPoint.id geo:47.506694,11.104301',
    ]);
  });

  const epcs = [...new Set(FOUND.map((f) => f.id).filter((id) => id.startsWith('urn:epc:')))];
  it.each(epcs)('%s → Digital Link → the same EPC URI', (epc) => {
    const dl = epcUriToDigitalLink(epc);
    expect(isDigitalLink(dl)).toBe(true);
    expect(digitalLinkToEpcUri(dl, parseEpcUri(epc).companyPrefix.length)).toBe(epc);
  });

  const links = [...new Set(FOUND.map((f) => f.id).filter((id) => id.startsWith('http')))];
  it.each(links)('%s is a Digital Link, canonical on its own base', (uri) => {
    const dl = parseDigitalLink(uri);
    expect(formatDigitalLink(dl, dl.base)).toBe(uri);
  });
});

describe('the canonical Digital Links of the CBV 2.0 event hash examples', () => {
  // The pre-hash strings computed by the reference implementation contain, for every identifier
  // of an event, its canonical GS1 Digital Link (CBV 2.0 event hash algorithm).
  const hashed = EXAMPLES.filter(({ dir }) => dir.pathname.endsWith('/event-hash/'));
  it.each(hashed.map(({ file, dir }) => [file, dir] as const))('%s', (file, dir) => {
    const prehashes = readFileSync(new URL(file.replace(/\.jsonld$/, '.prehashes'), dir), 'utf8');
    const ids = FOUND.filter((f) => f.file === file && !f.id.startsWith('geo:'));
    expect(ids.length).toBeGreaterThan(0);
    for (const { id } of ids) expect(prehashes).toContain(`=${epcUriToDigitalLink(id)}`);
  });
});
