import { epcUriToDigitalLink } from '@traceroot/trace';

import { DomainError } from '../common/errors/domain-error.js';

/** The GS1-EPC-Format header of the EPCIS 2.0 REST binding. */
export type EpcFormat =
  'Always_GS1_Digital_Link' | 'Always_EPC_URN' | 'Never_Translates' | 'No_Preference';

export const EPC_FORMATS: readonly EpcFormat[] = [
  'Always_GS1_Digital_Link',
  'Always_EPC_URN',
  'Never_Translates',
  'No_Preference',
];

/** The binding's default when the header is absent. */
export const DEFAULT_EPC_FORMAT: EpcFormat = 'Always_GS1_Digital_Link';

/** The format a GS1-EPC-Format header asks for (absent: the default); anything else is a 400. */
export const parseEpcFormat = (header: string | undefined): EpcFormat => {
  if (header === undefined || header.trim() === '') return DEFAULT_EPC_FORMAT;
  const value = header.trim() as EpcFormat;
  if (!EPC_FORMATS.includes(value)) {
    throw new DomainError(
      'QUERY_PARAMETER_INVALID',
      `GS1-EPC-Format must be one of ${EPC_FORMATS.join(', ')}, not "${header}"`,
    );
  }
  return value;
};

// An EPC URI (urn:epc:id / idpat / class) → its canonical Digital Link; anything else unchanged.
const toDigitalLink = (value: unknown): unknown => {
  if (typeof value !== 'string' || !value.startsWith('urn:epc:')) return value;
  try {
    return epcUriToDigitalLink(value);
  } catch {
    return value;
  }
};

const mapList = (list: unknown, f: (v: unknown) => unknown): unknown =>
  Array.isArray(list) ? list.map(f) : list;

const mapMember = (object: unknown, key: string, f: (v: unknown) => unknown): unknown =>
  typeof object === 'object' && object !== null && !Array.isArray(object) && key in object
    ? { ...(object as Record<string, unknown>), [key]: f((object as Record<string, unknown>)[key]) }
    : object;

/**
 * The event as `format` asks: Always_GS1_Digital_Link writes every EPC URI of an identifier
 * field (epcList, childEPCs, inputEPCList, outputEPCList, parentID, the epcClass of every
 * quantity list, readPoint, bizLocation, sources and destinations) as its canonical Digital Link.
 * Always_EPC_URN, Never_Translates and No_Preference serve the event as captured: a Digital Link
 * cannot be turned into an EPC URI without the GS1 Company Prefix length, which Traceroot does not
 * know (docs/specs/query.md).
 */
export const formatEvent = (
  event: Record<string, unknown>,
  format: EpcFormat,
): Record<string, unknown> => {
  if (format !== 'Always_GS1_Digital_Link') return event;
  const out: Record<string, unknown> = { ...event };
  for (const key of ['epcList', 'childEPCs', 'inputEPCList', 'outputEPCList']) {
    if (key in out) out[key] = mapList(out[key], toDigitalLink);
  }
  if ('parentID' in out) out.parentID = toDigitalLink(out.parentID);
  for (const key of [
    'quantityList',
    'childQuantityList',
    'inputQuantityList',
    'outputQuantityList',
  ]) {
    if (key in out) out[key] = mapList(out[key], (q) => mapMember(q, 'epcClass', toDigitalLink));
  }
  for (const key of ['readPoint', 'bizLocation']) {
    if (key in out) out[key] = mapMember(out[key], 'id', toDigitalLink);
  }
  if ('sourceList' in out) {
    out.sourceList = mapList(out.sourceList, (s) => mapMember(s, 'source', toDigitalLink));
  }
  if ('destinationList' in out) {
    out.destinationList = mapList(out.destinationList, (d) =>
      mapMember(d, 'destination', toDigitalLink),
    );
  }
  return out;
};
