// The CBV 2.0 master data attributes (CBV §10) of one EPCIS vocabulary element, mapped onto the
// attributes of a master data record (the table is in docs/specs/master-data.md). Pure. Every
// value is attacker-controlled: each mapped attribute is checked with the schema of the same
// attribute of a PUT body.
import { isDigitalLink } from '@traceroot/trace';
import type { z } from 'zod';

import { ADDRESS_FIELDS, ATTRIBUTE_FIELDS, type Attributes } from './masterdata.dto.js';
import { RecordKeyError, type RecordKind, recordKeyOf } from './record-key.js';

const isObject = (value: unknown): value is Record<string, unknown> =>
  value !== null && typeof value === 'object' && !Array.isArray(value);

// Attribute ids name CBV master data attributes as `urn:epcglobal:cbv:mda#name` (CBV §10, XML
// style), `urn:epcglobal:cbv:mda:sst`, or the JSON-LD CURIE `cbvmda:name` (the EPCIS 2.0
// context maps cbvmda to urn:epcglobal:cbv:mda:); `urn:epcglobal:cbv:owning_party` has its own.
const ATTRIBUTE_PREFIXES = [
  'urn:epcglobal:cbv:mda#',
  'urn:epcglobal:cbv:mda:',
  'cbvmda:',
  'urn:epcglobal:cbv:',
];

const localNameOf = (attributeId: unknown): string | undefined => {
  if (typeof attributeId !== 'string') return undefined;
  const prefix = ATTRIBUTE_PREFIXES.find((p) => attributeId.startsWith(p));
  return prefix === undefined ? undefined : attributeId.slice(prefix.length);
};

/** An attribute value found in an element: the value and where it is. */
type Found = { value: unknown; pointer: string; name: string };

/** One mapped attribute before its check: its path in the record's attributes. */
type Mapped = { path: [string] | [string, string]; value: unknown; from: Found };

type Text = { text: string | undefined; byLanguage: Record<string, string> };

// Text as the EPCIS 2.0 schema lets an attribute carry it: a string, a number, or a JSON-LD value
// object `{ "@value": …, "@language": … }`, whose language also files it under that language.
const readText = (value: unknown): Text | undefined => {
  const literal = isObject(value) ? value['@value'] : value;
  if (typeof literal !== 'string' && typeof literal !== 'number') return undefined;
  const language = isObject(value) ? value['@language'] : undefined;
  return {
    text: String(literal),
    byLanguage: typeof language === 'string' ? { [language]: String(literal) } : {},
  };
};

const NOT_TEXT = Symbol('not text');

const textOf = (found: Found): unknown => readText(found.value)?.text ?? NOT_TEXT;

// CBV dates are xsd:date; an xsd:dateTime keeps its date as written.
const dateOf = (found: Found): unknown => {
  const text = textOf(found);
  return typeof text === 'string' && /^\d{4}-\d{2}-\d{2}(T.*)?$/.test(text)
    ? text.slice(0, 10)
    : text;
};

// CBV latitude / longitude are decimal degrees, often written as strings ("+18.0000").
const degreesOf = (found: Found): unknown => {
  const text = typeof found.value === 'number' ? found.value : textOf(found);
  return typeof text === 'string' && /^[+-]?\d{1,3}(\.\d+)?$/.test(text.trim())
    ? Number(text.trim())
    : text;
};

const PRODUCT_NAME_SOURCES = ['descriptionShort', 'tradeItemDescription', 'regulatedProductName'];
const PRODUCT_DESCRIPTION_SOURCES = ['tradeItemDescription', 'labelDescription'];

// A text attribute and its translations (language-tagged values) into `field` and `fields`.
const mapText = (found: Found, field: string, byLanguageField: string): Mapped[] => {
  const text = readText(found.value);
  const mapped: Mapped[] = [{ path: [field], value: text?.text ?? NOT_TEXT, from: found }];
  if (text && Object.keys(text.byLanguage).length > 0) {
    mapped.push({ path: [byLanguageField], value: text.byLanguage, from: found });
  }
  return mapped;
};

const mapProduct = (found: ReadonlyMap<string, Found>): Mapped[] => {
  const nameSource = PRODUCT_NAME_SOURCES.find((name) => found.has(name));
  const descriptionSource = PRODUCT_DESCRIPTION_SOURCES.find(
    (name) => name !== nameSource && found.has(name),
  );
  const brand = found.get('brandName');
  return [
    ...(nameSource === undefined ? [] : mapText(found.get(nameSource)!, 'name', 'names')),
    ...(descriptionSource === undefined
      ? []
      : mapText(found.get(descriptionSource)!, 'description', 'descriptions')),
    ...(brand === undefined ? [] : [{ path: ['brand'], value: textOf(brand), from: brand }]),
  ] as Mapped[];
};

// CBV name → lot attribute, date-valued; the first CBV name present wins.
const LOT_DATES: readonly [string, readonly string[]][] = [
  ['bestBefore', ['bestBeforeDate']],
  ['expirationDate', ['itemExpirationDate']],
  ['harvestDate', ['harvestStartDate', 'harvestEndDate']],
  ['productionDate', ['productionDate']],
];

const mapLot = (found: ReadonlyMap<string, Found>): Mapped[] => {
  const mapped: Mapped[] = [];
  for (const [field, sources] of LOT_DATES) {
    const source = sources.map((name) => found.get(name)).find(Boolean);
    if (source) mapped.push({ path: [field], value: dateOf(source), from: source });
  }
  const origin = found.get('countryOfOrigin');
  if (origin) mapped.push({ path: ['originCountry'], value: textOf(origin), from: origin });
  return mapped;
};

// `urn:epc:id:pgln:…`, a /417/ Digital Link or 13 digits; a party named otherwise (a private
// URI) has no GLN to record, so it maps to nothing.
const owningPartyOf = (found: Found): Mapped[] => {
  const text = textOf(found);
  if (typeof text !== 'string') return [{ path: ['owningParty'], value: text, from: found }];
  if (/^[0-9]{13}$/.test(text)) return [{ path: ['owningParty'], value: text, from: found }];
  if (!text.startsWith('urn:epc:') && !isDigitalLink(text)) return [];
  try {
    const key = recordKeyOf(text);
    const value = key.kind === 'party' ? key.id.slice(-13) : NOT_A_PARTY;
    return [{ path: ['owningParty'], value, from: found }];
  } catch (error) {
    if (!(error instanceof RecordKeyError)) throw error;
    return [{ path: ['owningParty'], value: NOT_A_PARTY, from: found }];
  }
};

const NOT_A_PARTY = 'not a party GLN';

const ADDRESS_SOURCES: readonly [keyof typeof ADDRESS_FIELDS, string][] = [
  ['city', 'city'],
  ['region', 'state'],
  ['postalCode', 'postalCode'],
  ['countryCode', 'countryCode'],
];

const mapLocation = (found: ReadonlyMap<string, Found>): Mapped[] => {
  const mapped: Mapped[] = [];
  const name = found.get('name');
  if (name) mapped.push(...mapText(name, 'name', 'names'));
  const lines = ['streetAddressOne', 'streetAddressTwo', 'streetAddressThree']
    .map((line) => found.get(line))
    .filter((line): line is Found => line !== undefined);
  if (lines.length > 0) {
    const texts = lines.map(textOf);
    const value = texts.every((t) => typeof t === 'string')
      ? texts.filter((t) => t.trim() !== '').join(', ')
      : NOT_TEXT;
    mapped.push({ path: ['address', 'street'], value, from: lines[0]! });
  }
  for (const [field, cbvName] of ADDRESS_SOURCES) {
    const source = found.get(cbvName);
    if (source) mapped.push({ path: ['address', field], value: textOf(source), from: source });
  }
  const [latitude, longitude] = [found.get('latitude'), found.get('longitude')];
  if (latitude) mapped.push({ path: ['latitude'], value: degreesOf(latitude), from: latitude });
  if (longitude) mapped.push({ path: ['longitude'], value: degreesOf(longitude), from: longitude });
  const geo = found.get('geoLocation');
  const point = geo && /^geo:([+-]?[\d.]+),([+-]?[\d.]+)/.exec(String(textOf(geo)));
  if (geo && point && !latitude && !longitude) {
    mapped.push({ path: ['latitude'], value: Number(point[1]), from: geo });
    mapped.push({ path: ['longitude'], value: Number(point[2]), from: geo });
  }
  const owner = found.get('owning_party');
  if (owner) mapped.push(...owningPartyOf(owner));
  return mapped;
};

const mapParty = (found: ReadonlyMap<string, Found>): Mapped[] => {
  const name = found.get('name');
  return name ? mapText(name, 'name', 'names') : [];
};

const MAPPERS: Record<RecordKind, (found: ReadonlyMap<string, Found>) => Mapped[]> = {
  product: mapProduct,
  lot: mapLot,
  location: mapLocation,
  party: mapParty,
};

const schemaOf = (kind: RecordKind, path: Mapped['path']): z.ZodType | undefined => {
  const fields: Readonly<Record<string, z.ZodType>> =
    path.length === 2 ? ADDRESS_FIELDS : ATTRIBUTE_FIELDS[kind];
  return fields[path.at(-1)!];
};

const problemOf = (value: unknown, schema: z.ZodType): string | undefined => {
  if (value === NOT_TEXT) return 'must be text (a string, or JSON-LD {"@value", "@language"})';
  const result = schema.safeParse(value);
  if (result.success) return undefined;
  return result.error.issues[0]?.message ?? 'is not valid';
};

/** Why an attribute of a vocabulary element cannot be applied, naming it by its pointer. */
export type AttributeFailure = { pointer: string; message: string };

/**
 * The record attributes a vocabulary element's CBV master data attributes map to (`pointer`: the
 * element's), each checked like the same attribute of a PUT body.
 */
export const mapElement = (
  kind: RecordKind,
  attributes: unknown,
  pointer: string,
): { attributes: Attributes; failures: AttributeFailure[] } => {
  const found = new Map<string, Found>();
  (Array.isArray(attributes) ? attributes : []).forEach((attribute: unknown, k) => {
    const name = isObject(attribute) ? localNameOf(attribute.id) : undefined;
    // An empty value (e.g. streetAddressTwo: "") says nothing: it is treated as absent.
    const value = isObject(attribute) ? attribute.attribute : undefined;
    const isEmpty = value === undefined || (typeof value === 'string' && value.trim() === '');
    if (name !== undefined && !found.has(name) && isObject(attribute) && !isEmpty) {
      found.set(name, {
        value: attribute.attribute,
        pointer: `${pointer}/attributes/${k}/attribute`,
        name: String(attribute.id),
      });
    }
  });
  const result: Attributes = {};
  const failures: AttributeFailure[] = [];
  for (const { path, value, from } of MAPPERS[kind](found)) {
    const problem = problemOf(value, schemaOf(kind, path)!);
    if (problem !== undefined) {
      failures.push({
        pointer: from.pointer,
        message: `${from.pointer}: ${from.name} (the ${kind}'s ${path.join('.')}) ${problem}`,
      });
    } else if (path.length === 2) {
      const parent = (result[path[0]] ?? {}) as Record<string, unknown>;
      result[path[0]] = { ...parent, [path[1]]: schemaOf(kind, path)!.parse(value) };
    } else {
      result[path[0]] = schemaOf(kind, path)!.parse(value);
    }
  }
  return { attributes: result, failures };
};
