import { invalidParameter, ProblemError } from '@/lib/qr/problem';

import type { LabelFields } from './label-request';

// 500 serials of 20 characters as a JSON array are ≈ 12 kB; the rest of a request is small.
export const MAX_BODY_BYTES = 64 * 1024;

// Serial numbers are CSET 82, which has ',' but no white space: a list in one text field is
// split at commas and white space (a textarea's lines). A serial containing a comma needs the
// JSON array form.
const splitSerials = (text: string): string[] => text.split(/[\s,]+/).filter((s) => s !== '');

const addField = (fields: LabelFields, name: string, raw: string): void => {
  const values = fields.get(name) ?? [];
  if (name === 'serials') {
    values.push(...splitSerials(raw));
  } else {
    // An empty form field is an absent one (a blank "lot" input is still submitted).
    const value = raw.trim();
    if (value !== '') values.push(value);
  }
  fields.set(name, values);
};

/** The fields of a query string or a form: repeated names collect values, empty ones none. */
export const fieldsFromEntries = (entries: Iterable<[string, FormDataEntryValue]>): LabelFields => {
  const fields: LabelFields = new Map();
  for (const [name, value] of entries) {
    if (typeof value !== 'string') throw invalidParameter(name, 'must be text, not a file');
    addField(fields, name, value);
  }
  return fields;
};

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

// JSON numbers are accepted where the value is a number (count), or could be mistaken for one
// (serial numbers); a GTIN must be a string, since a number would lose its leading zeros.
const jsonText = (name: string, value: unknown): string => {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0 && name !== 'gtin') {
    return String(value);
  }
  throw invalidParameter(name, name === 'gtin' ? 'must be a string' : 'must be a string or number');
};

/**
 * The fields of a JSON body: an object with the query's field names; `serials` may also be an
 * array, whose items are taken as they are (no comma splitting).
 */
export const fieldsFromJson = (body: unknown): LabelFields => {
  if (!isRecord(body)) {
    throw new ProblemError('MALFORMED_BODY', 'the JSON body must be an object');
  }
  const fields: LabelFields = new Map();
  for (const [name, value] of Object.entries(body)) {
    if (value === null || value === undefined) continue;
    if (name === 'serials' && Array.isArray(value)) {
      fields.set(
        name,
        value.map((item) => jsonText(name, item)),
      );
    } else {
      addField(fields, name, jsonText(name, value));
    }
  }
  return fields;
};

const tooLarge = (): ProblemError =>
  new ProblemError('PAYLOAD_TOO_LARGE', `the body must be at most ${MAX_BODY_BYTES} bytes`);

// The body, refused as soon as it passes `limit` bytes, whatever Content-Length claimed.
const readBoundedBody = async (
  request: Request,
  limit: number,
): Promise<Uint8Array<ArrayBuffer>> => {
  if (Number(request.headers.get('Content-Length') ?? 0) > limit) throw tooLarge();
  if (!request.body) return new Uint8Array(0);
  const chunks: Uint8Array[] = [];
  let total = 0;
  const reader = request.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.length;
    if (total > limit) {
      await reader.cancel();
      throw tooLarge();
    }
    chunks.push(value);
  }
  const body = new Uint8Array(total);
  let at = 0;
  for (const chunk of chunks) {
    body.set(chunk, at);
    at += chunk.length;
  }
  return body;
};

const decodeUtf8 = (body: Uint8Array): string => {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(body);
  } catch {
    throw new ProblemError('MALFORMED_BODY', 'the body is not UTF-8');
  }
};

const parseJson = (text: string): unknown => {
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    const reason = error instanceof Error ? error.message : 'syntax error';
    throw new ProblemError('MALFORMED_BODY', `the body is not JSON: ${reason}`);
  }
};

const SUPPORTED_TYPES = [
  'application/json',
  'application/x-www-form-urlencoded',
  'multipart/form-data',
];

/**
 * The fields of a POST body: JSON (`application/json`, `*+json`), a URL-encoded form (what an
 * HTML form sends), or multipart form data. Attacker-controlled: bounded to MAX_BODY_BYTES.
 */
export const readLabelFields = async (request: Request): Promise<LabelFields> => {
  const contentType = request.headers.get('Content-Type') ?? '';
  const mediaType = contentType.split(';')[0]?.trim().toLowerCase() ?? '';
  const isJson = mediaType === 'application/json' || /^application\/[^/]+\+json$/.test(mediaType);
  if (!isJson && !SUPPORTED_TYPES.includes(mediaType)) {
    throw new ProblemError(
      'UNSUPPORTED_MEDIA_TYPE',
      `Content-Type must be ${SUPPORTED_TYPES.join(', ')}, not '${mediaType || '(none)'}'`,
    );
  }
  const body = await readBoundedBody(request, MAX_BODY_BYTES);
  if (isJson) return fieldsFromJson(parseJson(decodeUtf8(body)));
  if (mediaType === 'application/x-www-form-urlencoded') {
    return fieldsFromEntries(new URLSearchParams(decodeUtf8(body)));
  }
  let form: FormData;
  try {
    form = await new Response(body, { headers: { 'Content-Type': contentType } }).formData();
  } catch {
    throw new ProblemError('MALFORMED_BODY', 'the body is not valid multipart/form-data');
  }
  return fieldsFromEntries(form);
};
