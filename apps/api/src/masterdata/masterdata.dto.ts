// The bodies of PUT /masterdata/… and the attributes a version stores, per record kind
// (docs/specs/master-data.md). The same attribute schemas check what EPCIS master data maps to.
import { isTraceError, verifyAiValue } from '@traceroot/trace';
import { z } from 'zod';

import { isCountryCode } from './country-codes.js';
import type { RecordKind } from './record-key.js';

const text = (max: number) =>
  z.string().trim().min(1, 'must not be empty').max(max, `must be at most ${max} characters`);

const NAME_MAX = 200;
const DESCRIPTION_MAX = 5000;
const LANGUAGES_MAX = 50;
/** The most bytes of JSON `private` may take (it is stored with every version). */
export const PRIVATE_MAX_BYTES = 16 * 1024;

// BCP 47 (RFC 5646) in its common shape: a 2–3 letter language, then subtags (script, region, …).
const LANGUAGE_TAG = /^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$/;

/** `{ [BCP 47 language tag]: text }`, e.g. `{ "en": "Baijiu", "zh-Hans": "白酒" }`. */
const byLanguage = (max: number) =>
  z
    .record(z.string().regex(LANGUAGE_TAG), text(max), {
      error: (issue) =>
        issue.code === 'invalid_key'
          ? 'is not a BCP 47 language tag (e.g. en, zh-Hans)'
          : undefined,
    })
    .refine((map) => Object.keys(map).length <= LANGUAGES_MAX, {
      message: `must have at most ${LANGUAGES_MAX} languages`,
    });

const DAYS_IN_MONTH = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
const isCalendarDate = (date: string): boolean => {
  const [year, month, day] = date.split('-').map(Number) as [number, number, number];
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  const last = month === 2 && !leap ? 28 : (DAYS_IN_MONTH[month - 1] ?? 0);
  return day >= 1 && day <= last;
};

/** A calendar date, `YYYY-MM-DD` (ISO 8601 extended format). */
export const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, { error: 'must be a date, YYYY-MM-DD', abort: true })
  .refine(isCalendarDate, 'is not a date of the calendar');

export const countryCode = z
  .string()
  .refine(isCountryCode, 'must be an ISO 3166-1 alpha-2 country code (e.g. CN, DE)');

const httpUrl = z
  .url({ protocol: /^https?$/, error: 'must be an http(s) URL' })
  .max(2048, 'must be at most 2048 characters');

const contactUrl = z
  .url({ protocol: /^(https?|mailto|tel)$/, error: 'must be an http(s), mailto: or tel: URL' })
  .max(2048, 'must be at most 2048 characters');

const isGln = (digits: string): boolean => {
  try {
    verifyAiValue('417', digits);
    return true;
  } catch (error) {
    if (!isTraceError(error)) throw error;
    return false;
  }
};

const pgln = z.string().refine(isGln, 'must be a party GLN: 13 digits with a valid check digit');

const jsonBytes = (value: unknown): number =>
  new TextEncoder().encode(JSON.stringify(value)).length;

/** Free-form attributes only the owning organization's keys read back (never public). */
const privateAttributes = z
  .record(z.string(), z.unknown())
  .refine((value) => jsonBytes(value) <= PRIVATE_MAX_BYTES, {
    message: `must be at most ${PRIVATE_MAX_BYTES} bytes of JSON`,
  });

/** When the version starts to be valid (ISO 8601 date-time with an offset); not in the future. */
const validFrom = z.iso.datetime({ offset: true, error: 'must be an ISO 8601 date-time' });

const PRODUCT = {
  name: text(NAME_MAX),
  names: byLanguage(NAME_MAX).optional(),
  brand: text(NAME_MAX).optional(),
  description: text(DESCRIPTION_MAX).optional(),
  descriptions: byLanguage(DESCRIPTION_MAX).optional(),
  imageUrl: httpUrl.optional(),
  category: text(NAME_MAX).optional(),
};

const LOT = {
  productionDate: isoDate.optional(),
  harvestDate: isoDate.optional(),
  bestBefore: isoDate.optional(),
  /** Use-by / expiry (CBV itemExpirationDate): a safety date, unlike bestBefore (quality). */
  expirationDate: isoDate.optional(),
  originCountry: countryCode.optional(),
  names: byLanguage(NAME_MAX).optional(),
  description: text(DESCRIPTION_MAX).optional(),
};

export const ADDRESS_FIELDS = {
  street: text(NAME_MAX).optional(),
  city: text(NAME_MAX).optional(),
  region: text(NAME_MAX).optional(),
  postalCode: text(40).optional(),
  countryCode: countryCode.optional(),
};

const ADDRESS = z.strictObject(ADDRESS_FIELDS);

const LOCATION = {
  name: text(NAME_MAX),
  names: byLanguage(NAME_MAX).optional(),
  address: ADDRESS.optional(),
  latitude: z.number().min(-90, 'must be ≥ -90').max(90, 'must be ≤ 90').optional(),
  longitude: z.number().min(-180, 'must be ≥ -180').max(180, 'must be ≤ 180').optional(),
  owningParty: pgln.optional(),
};

const PARTY = {
  name: text(NAME_MAX),
  names: byLanguage(NAME_MAX).optional(),
  contactUrl: contactUrl.optional(),
};

// A position needs both coordinates.
const bothOrNeither = (value: { latitude?: number; longitude?: number }, ctx: z.RefinementCtx) => {
  for (const [field, other] of [
    ['latitude', 'longitude'],
    ['longitude', 'latitude'],
  ] as const) {
    if (value[field] === undefined && value[other] !== undefined) {
      ctx.addIssue({ code: 'custom', path: [field], message: `is required with ${other}` });
    }
  }
};

/** Each kind's attributes, one schema per member (EPCIS master data is checked member by member). */
export const ATTRIBUTE_FIELDS = {
  product: PRODUCT,
  lot: LOT,
  location: LOCATION,
  party: PARTY,
} as const satisfies Record<RecordKind, Record<string, z.ZodType>>;

/** The public attributes of a version of each kind, as stored and served. */
export const ATTRIBUTE_SCHEMAS = {
  product: z.strictObject(PRODUCT),
  lot: z.strictObject(LOT),
  location: z.strictObject(LOCATION).superRefine(bothOrNeither),
  party: z.strictObject(PARTY),
} as const satisfies Record<RecordKind, z.ZodType>;

const WRITE = { private: privateAttributes.optional(), validFrom: validFrom.optional() };

/** PUT bodies: the attributes, plus `private` and `validFrom`. Unknown members are refused. */
export const putProductSchema = z.strictObject({ ...PRODUCT, ...WRITE });
export const putLotSchema = z.strictObject({ ...LOT, ...WRITE });
export const putLocationSchema = z
  .strictObject({ ...LOCATION, ...WRITE })
  .superRefine(bothOrNeither);
export const putPartySchema = z.strictObject({ ...PARTY, ...WRITE });

export type PutMasterDataInput = { private?: Record<string, unknown>; validFrom?: string } & Record<
  string,
  unknown
>;

/** Public attributes: a JSON object whose members depend on the kind (ATTRIBUTE_SCHEMAS). */
export type Attributes = Record<string, unknown>;

/** POST /masterdata/lookup. */
export const LOOKUP_MAX_IDS = 500;
export const lookupSchema = z.strictObject({
  ids: z
    .array(z.string().min(1, 'must not be empty').max(2048, 'must be at most 2048 characters'))
    .max(LOOKUP_MAX_IDS, `must have at most ${LOOKUP_MAX_IDS} identifiers`),
});
export type LookupInput = z.output<typeof lookupSchema>;

/** One version as GET /masterdata/… serves it (attributes at the top level). */
export type MasterDataVersionView = {
  id: string;
  kind: RecordKind;
  version: number;
  validFrom: string;
  recordedAt: string;
  updatedBy: { organizationId: string };
  source: 'api' | 'epcis';
  /** Only for the owning organization's keys. */
  private?: Record<string, unknown>;
} & Attributes;

export type MasterDataVersionsView = {
  id: string;
  kind: RecordKind;
  versions: MasterDataVersionView[];
};

export type LookupView = {
  records: {
    id: string;
    kind: RecordKind;
    versions: {
      version: number;
      validFrom: string;
      source: 'api' | 'epcis';
      attributes: Attributes;
    }[];
  }[];
};
