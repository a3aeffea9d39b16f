import {
  type CbvVocabulary,
  expandCbvShortName,
  formatCbvWebUri,
  formatDigitalLink,
  parseDigitalLink,
  TraceError,
} from '@traceroot/trace';

import { DomainError } from '../common/errors/domain-error.js';
import { identifierParameter } from '../events/indexed-identifier.js';
import { type EventTerm, type IdentifierRole, typedTermValue } from '../events/prepare-event.js';
import { EPCIS_EVENT_TYPES } from '../capture/validation/schema-validators.js';

// The EPCIS 2.0 SimpleEventQuery parameters (EPCIS 2.0 §8.2.7.1; REST binding query-schema.json),
// parsed into filters the repository turns into index-backed SQL. docs/specs/query.md lists every
// parameter, what it means here and the index that serves it.

/** Where an identifier filter looks: event_identifiers roles. */
const ROLES = {
  MATCH_epc: ['epc', 'childEPC'],
  MATCH_parentID: ['parentID'],
  MATCH_inputEPC: ['inputEPC'],
  MATCH_outputEPC: ['outputEPC'],
  MATCH_anyEPC: ['epc', 'parentID', 'childEPC', 'inputEPC', 'outputEPC'],
  MATCH_epcClass: ['quantity', 'childQuantity'],
  MATCH_inputEPCClass: ['inputQuantity'],
  MATCH_outputEPCClass: ['outputQuantity'],
  MATCH_anyEPCClass: ['quantity', 'childQuantity', 'inputQuantity', 'outputQuantity'],
} as const satisfies Record<string, readonly IdentifierRole[]>;
type MatchParameter = keyof typeof ROLES;
const CLASS_PARAMETERS: ReadonlySet<string> = new Set([
  'MATCH_epcClass',
  'MATCH_inputEPCClass',
  'MATCH_outputEPCClass',
  'MATCH_anyEPCClass',
]);

const ACTIONS = ['ADD', 'OBSERVE', 'DELETE'];

/** One condition on events; all of a query's filters must hold. */
export type Filter =
  | {
      kind: 'column';
      column: 'type' | 'action' | 'biz_step' | 'disposition' | 'event_id';
      values: string[];
    }
  | { kind: 'time'; column: 'event_time' | 'record_time'; op: '>=' | '<'; value: string }
  | {
      kind: 'identifier';
      roles: readonly IdentifierRole[];
      /** Identifiers in the index's form (canonical Digital Links), matched exactly. */
      exact: string[];
      /** Prefixes of identifiers (all serials of a GTIN, all lots of a GTIN, serials in a lot's Digital Link). */
      prefixes: string[];
      /** Lots (canonical lot Digital Links) whose commissioned items (ILMD lotNumber) match. */
      ilmdLots: string[];
    }
  | { kind: 'term'; term: EventTerm; exact: string[]; prefixes: string[] }
  | { kind: 'exists'; term: EventTerm }
  | { kind: 'quantity'; conditions: { op: '=' | '>' | '>=' | '<' | '<='; values: number[] }[] };

export type OrderBy = { field: 'eventTime' | 'recordTime'; direction: 'ASC' | 'DESC' };

/** A parsed, validated EPCIS 2.0 SimpleEventQuery (no paging parameters). Opaque to callers. */
export type EventQuery = {
  /** Normalised, JSON-serialisable; parseEventQuery(parameters) gives the same query again. */
  readonly parameters: Readonly<Record<string, unknown>>;
  readonly filters: readonly Filter[];
  readonly orderBy: OrderBy | null;
  readonly eventCountLimit: number | null;
  readonly maxEventCount: number | null;
};

const invalid = (message: string): DomainError =>
  new DomainError('QUERY_PARAMETER_INVALID', message);

/** The values of a list parameter: a pipe-delimited string, or (repeated / JSON) an array of them. */
const listOf = (name: string, raw: unknown): string[] => {
  const items = Array.isArray(raw) ? raw : [raw];
  const values: string[] = [];
  for (const item of items) {
    if (typeof item !== 'string') throw invalid(`${name} must be a string or a list of strings`);
    for (const part of item.split('|')) {
      const value = part.trim();
      if (value === '') throw invalid(`${name} has an empty value`);
      values.push(value);
    }
  }
  if (values.length === 0) throw invalid(`${name} is empty`);
  return [...new Set(values)];
};

const singleOf = (name: string, raw: unknown): string | number => {
  const value: unknown = Array.isArray(raw)
    ? raw.length === 1
      ? (raw[0] as unknown)
      : undefined
    : raw;
  if (typeof value === 'string' || typeof value === 'number') return value;
  throw invalid(`${name} must be given once, as a single value`);
};

// xsd:dateTime with a time zone (EPCIS times always carry one); a '+' left unencoded in a query
// string arrives as a space.
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;
const timeOf = (name: string, raw: unknown): string => {
  const value = singleOf(name, raw);
  const time =
    typeof value === 'number'
      ? new Date(value)
      : DATE_TIME.test(value.trim().replace(' ', '+'))
        ? new Date(value.trim().replace(' ', '+'))
        : new Date(Number.NaN);
  if (Number.isNaN(time.getTime()) || time.getUTCFullYear() < 1 || time.getUTCFullYear() > 9999) {
    throw invalid(
      `${name} must be a date-time with a time zone (2026-03-01T08:00:00Z), not "${String(value)}"`,
    );
  }
  return time.toISOString();
};

const integerOf = (name: string, raw: unknown, min: number): number => {
  const value = singleOf(name, raw);
  const n = typeof value === 'number' ? value : /^\s*\d+\s*$/.test(value) ? Number(value) : NaN;
  if (!Number.isSafeInteger(n) || n < min) {
    throw invalid(`${name} must be a whole number ≥ ${min}, not "${String(value)}"`);
  }
  return n;
};

const DECIMAL = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;
const decimalsOf = (name: string, raw: unknown, list: boolean): number[] => {
  const items = Array.isArray(raw) ? raw : [raw];
  if (!list && items.length !== 1) throw invalid(`${name} must be given once, as a single value`);
  const values = items.flatMap((item): unknown[] =>
    typeof item === 'string' ? item.split('|') : [item],
  );
  return values.map((value) => {
    const n = typeof value === 'string' && DECIMAL.test(value.trim()) ? Number(value) : value;
    if (typeof n !== 'number' || !Number.isFinite(n)) {
      throw invalid(`${name} must be a decimal number, not "${String(value)}"`);
    }
    return n;
  });
};

/** A CBV vocabulary value in the stored form: the full CBV web URI for short names and URNs. */
export const cbvValue = (kind: CbvVocabulary, value: string): string =>
  formatCbvWebUri(expandCbvShortName(kind, value.trim()));

/**
 * An identifier in a MATCH_* parameter: an EPC URI or GS1 Digital Link (canonical Digital Link in
 * the index), or any other URI (matched as written). EPC patterns (`urn:epc:idpat:sgtin:…*`) and
 * Digital Links without a serial are classes: for instance-level parameters they match their
 * instances (see docs/specs/query.md).
 */
const identifierOf = (name: string, value: string): string => {
  if (/^urn:epc:/i.test(value) || /^https?:\/\//i.test(value) || value.startsWith('/')) {
    return identifierParameter(value, name).identifier;
  }
  if (!/^[a-z][a-z0-9+.-]*:/i.test(value)) throw invalid(`${name}: '${value}' is not a URI`);
  return value;
};

/** A location, party or other URI in the index's form: GS1 keys as canonical Digital Links. */
export const uriOf = (name: string, value: string): string => {
  if (/^urn:epc:/i.test(value)) return identifierParameter(value, name).identifier;
  if (/^https?:\/\//i.test(value)) {
    try {
      const dl = parseDigitalLink(value);
      return formatDigitalLink({ ...dl, dataAttributes: [], otherParams: [] });
    } catch (error) {
      if (!(error instanceof TraceError)) throw error;
      return value;
    }
  }
  if (!/^[a-z][a-z0-9+.-]*:/i.test(value)) throw invalid(`${name}: '${value}' is not a URI`);
  return value;
};

const GTIN_CLASS = /^https:\/\/id\.gs1\.org\/01\/(\d{14})$/;
const LOT_CLASS = /^https:\/\/id\.gs1\.org\/01\/(\d{14})\/10\/([^/?#]+)$/;

const matchFilter = (name: MatchParameter, values: readonly string[]): Filter => {
  const exact: string[] = [];
  const prefixes: string[] = [];
  const ilmdLots: string[] = [];
  const isClass = CLASS_PARAMETERS.has(name);
  for (const id of values) {
    const gtin = GTIN_CLASS.exec(id);
    const lot = LOT_CLASS.exec(id);
    if (isClass) {
      // A GTIN matches the GTIN class and every lot of it; a lot matches itself.
      exact.push(id);
      if (gtin) prefixes.push(`${id}/10/`);
    } else if (gtin) {
      prefixes.push(`${id}/`); // every serial of the GTIN (…/21/… and …/10/…/21/…)
    } else if (lot) {
      prefixes.push(`${id}/21/`); // serials written with their lot
      ilmdLots.push(id); // serials commissioned in the lot (ILMD lotNumber)
    } else {
      exact.push(id);
    }
  }
  return { kind: 'identifier', roles: ROLES[name], exact, prefixes, ilmdLots };
};

/** The descendants of a location: itself and, for a GLN, every sub-location (…/254/{extension}). */
const withinFilter = (term: EventTerm, values: readonly string[]): Filter => ({
  kind: 'term',
  term,
  exact: [...values],
  prefixes: values
    .filter((v) => /^https:\/\/id\.gs1\.org\/414\/\d{13}$/.test(v))
    .map((v) => `${v}/254/`),
});

const TYPED = /^EQ_(bizTransaction|source|destination)_([A-Za-z][A-Za-z0-9_]*)$/;
const QUANTITY = /^(EQ|GT|GE|LT|LE)_quantity$/;
const QUANTITY_OPS = { EQ: '=', GT: '>', GE: '>=', LT: '<', LE: '<=' } as const;

const SIMPLE_TERMS: Readonly<Record<string, [EventTerm, CbvVocabulary | 'uri' | 'text']>> = {
  EQ_readPoint: ['readPoint', 'uri'],
  EQ_bizLocation: ['bizLocation', 'uri'],
  EQ_persistentDisposition_set: ['persistentDisposition.set', 'disposition'],
  EQ_persistentDisposition_unset: ['persistentDisposition.unset', 'disposition'],
  EQ_transformationID: ['transformationID', 'text'],
  EQ_errorReason: ['errorReason', 'errorReason'],
  EQ_correctiveEventID: ['correctiveEventID', 'text'],
};
const EXISTS_TERMS: Readonly<Record<string, EventTerm>> = {
  EXISTS_errorDeclaration: 'errorDeclaration',
  EXISTS_sensorElementList: 'sensorElementList',
};

/**
 * Parses query parameters: GET query-string values (strings, pipe-delimited lists; a repeated
 * parameter may arrive as string[]) or the JSON `query` object of POST /queries (arrays, numbers,
 * booleans). Unknown parameters and bad values → QUERY_PARAMETER_INVALID (400,
 * QueryParameterException) naming the parameter. Paging parameters are not accepted here.
 */
export function parseEventQuery(parameters: Readonly<Record<string, unknown>>): EventQuery {
  if (typeof parameters !== 'object' || parameters === null || Array.isArray(parameters)) {
    throw invalid('the query must be an object of parameters');
  }
  const normalised: Record<string, unknown> = {};
  const filters: Filter[] = [];
  const quantity: { op: '=' | '>' | '>=' | '<' | '<='; values: number[] }[] = [];
  let orderField: OrderBy['field'] | null = null;
  let direction: OrderBy['direction'] = 'DESC';
  let eventCountLimit: number | null = null;
  let maxEventCount: number | null = null;

  for (const name of Object.keys(parameters).sort()) {
    const raw = parameters[name];
    if (raw === undefined) continue;
    const typed = TYPED.exec(name);
    const quantityOp = QUANTITY.exec(name);
    if (name === 'eventType') {
      const values = listOf(name, raw);
      const unknown = values.find((v) => !(EPCIS_EVENT_TYPES as readonly string[]).includes(v));
      if (unknown !== undefined) {
        throw invalid(`eventType: '${unknown}' is not one of ${EPCIS_EVENT_TYPES.join(', ')}`);
      }
      filters.push({ kind: 'column', column: 'type', values });
      normalised[name] = values;
    } else if (/^(GE|LT)_(eventTime|recordTime)$/.test(name)) {
      const value = timeOf(name, raw);
      filters.push({
        kind: 'time',
        column: name.endsWith('eventTime') ? 'event_time' : 'record_time',
        op: name.startsWith('GE') ? '>=' : '<',
        value,
      });
      normalised[name] = value;
    } else if (name === 'EQ_action') {
      const values = listOf(name, raw);
      const unknown = values.find((v) => !ACTIONS.includes(v));
      if (unknown !== undefined) {
        throw invalid(`EQ_action: '${unknown}' is not ADD, OBSERVE or DELETE`);
      }
      filters.push({ kind: 'column', column: 'action', values });
      normalised[name] = values;
    } else if (name === 'EQ_bizStep' || name === 'EQ_disposition') {
      const kind = name === 'EQ_bizStep' ? 'bizStep' : 'disposition';
      const values = [...new Set(listOf(name, raw).map((v) => cbvValue(kind, v)))];
      filters.push({
        kind: 'column',
        column: kind === 'bizStep' ? 'biz_step' : 'disposition',
        values,
      });
      normalised[name] = values;
    } else if (name === 'EQ_eventID') {
      const values = listOf(name, raw);
      filters.push({ kind: 'column', column: 'event_id', values });
      normalised[name] = values;
    } else if (name in ROLES) {
      const values = [...new Set(listOf(name, raw).map((v) => identifierOf(name, v)))];
      filters.push(matchFilter(name as MatchParameter, values));
      normalised[name] = values;
    } else if (name in SIMPLE_TERMS) {
      const [term, form] = SIMPLE_TERMS[name]!;
      const values = [
        ...new Set(
          listOf(name, raw).map((v) =>
            form === 'uri' ? uriOf(name, v) : form === 'text' ? v : cbvValue(form, v),
          ),
        ),
      ];
      filters.push({ kind: 'term', term, exact: values, prefixes: [] });
      normalised[name] = values;
    } else if (name === 'WD_readPoint' || name === 'WD_bizLocation') {
      const values = [...new Set(listOf(name, raw).map((v) => uriOf(name, v)))];
      filters.push(withinFilter(name === 'WD_readPoint' ? 'readPoint' : 'bizLocation', values));
      normalised[name] = values;
    } else if (name in EXISTS_TERMS) {
      if (raw === false) throw invalid(`${name} takes no value (give it to ask for the field)`);
      filters.push({ kind: 'exists', term: EXISTS_TERMS[name]! });
      normalised[name] = true;
    } else if (typed) {
      const field = typed[1] as 'bizTransaction' | 'source' | 'destination';
      const type = cbvValue(
        field === 'bizTransaction' ? 'bizTransactionType' : 'sourceDestType',
        typed[2]!,
      );
      const values = [...new Set(listOf(name, raw).map((v) => uriOf(name, v)))];
      filters.push({
        kind: 'term',
        term: field,
        exact: values.map((v) => typedTermValue(type, v)),
        prefixes: [],
      });
      normalised[name] = values;
    } else if (quantityOp) {
      const values = decimalsOf(name, raw, quantityOp[1] === 'EQ');
      quantity.push({ op: QUANTITY_OPS[quantityOp[1] as keyof typeof QUANTITY_OPS], values });
      normalised[name] = quantityOp[1] === 'EQ' ? values : values[0];
    } else if (name === 'orderBy') {
      const value = singleOf(name, raw);
      if (value !== 'eventTime' && value !== 'recordTime') {
        throw invalid(`orderBy must be eventTime or recordTime, not "${String(value)}"`);
      }
      orderField = value;
      normalised[name] = value;
    } else if (name === 'orderDirection') {
      const value = singleOf(name, raw);
      if (value !== 'ASC' && value !== 'DESC') {
        throw invalid(`orderDirection must be ASC or DESC, not "${String(value)}"`);
      }
      direction = value;
      normalised[name] = value;
    } else if (name === 'eventCountLimit') {
      eventCountLimit = integerOf(name, raw, 1);
      normalised[name] = eventCountLimit;
    } else if (name === 'maxEventCount') {
      maxEventCount = integerOf(name, raw, 1);
      normalised[name] = maxEventCount;
    } else if (name === 'perPage' || name === 'nextPageToken') {
      throw invalid(`${name} is a paging parameter, not part of a query`);
    } else {
      throw invalid(`${name} is not a query parameter this service supports (docs/specs/query.md)`);
    }
  }
  if (quantity.length > 0) filters.push({ kind: 'quantity', conditions: quantity });
  if (eventCountLimit !== null && orderField === null) {
    throw invalid('eventCountLimit needs orderBy (EPCIS 2.0 §8.2.7.1)');
  }
  if (eventCountLimit !== null && maxEventCount !== null) {
    throw invalid('give eventCountLimit or maxEventCount, not both (EPCIS 2.0 §8.2.7.1)');
  }
  return {
    parameters: normalised,
    filters,
    orderBy: orderField === null ? null : { field: orderField, direction },
    eventCountLimit,
    maxEventCount,
  };
}
