// What one viewer is served, made checkable, for the isolation matrix (test/e2e/isolation-matrix):
// the whole text of an answer with every SD-JWT disclosure in it decoded (so that a value shows
// whether it came in the clear or inside a disclosure), the leaf hash a viewer rebuilds from what
// it holds, GET /log/leaves audited with auditLog, an FSMA 204 CSV's proof section, and RFC 9457
// answers stripped of what names the occurrence (for "same answer for a real and a random ID").
import {
  auditLog,
  type AuditLeaf,
  type AuditResult,
  bytesToBase64,
  formatLeaf,
  hashDisclosure,
  parseDisclosure,
  rfc6962,
} from '@traceroot/trace';

import { parseCsv } from './csv.js';
import { call } from './ledger-app.js';

/** A run of base64url characters long enough to be a disclosure (a 16-byte salt alone is 22). */
const BASE64URL_RUN = /[A-Za-z0-9_-]{40,}/g;

/**
 * `text` followed by every disclosure found in it, decoded as `name=value` lines: a value a viewer
 * was given is then in the result however it was given (a member of a served event, a row of a
 * spreadsheet, or only inside a disclosure of a bundle, base64url-encoded).
 */
export const readableText = (text: string): string => {
  const decoded: string[] = [];
  for (const [run] of text.matchAll(BASE64URL_RUN)) {
    try {
      const { name, value } = parseDisclosure(run);
      decoded.push(`${name}=${JSON.stringify(value)}`);
    } catch {
      // Not a disclosure (a digest, a hash, a signature).
    }
  }
  return [text, ...decoded].join('\n');
};

/** The RFC 6962 leaf hash (base64) of the leaf that `eventHashId` and `digests` make. */
export const leafHashOf = (eventHashId: string, digests: readonly string[]): string =>
  bytesToBase64(rfc6962.hashLeaf(formatLeaf({ eventHashId, digests })));

/** What GET /events/{id} and the query paths say about an event's place in the log. */
export type ServedLedger = {
  leafIndex: number;
  eventHashId: string;
  digests: string[];
  disclosures: string[];
  withheld: number;
  erased: string[];
};

/**
 * What is wrong with a served ledger view, against the leaf hash the audited log holds at its
 * index (empty: nothing). Every served disclosure must hash to one of the digests, the digests
 * must be the shown fields plus the withheld and erased ones, the leaf rebuilt from the event
 * hash ID and the digests must be the log's, and (given the served event) nothing may be served
 * that no disclosure proves.
 */
export const ledgerProblems = (
  what: string,
  ledger: ServedLedger | undefined,
  trustedLeafHash: (leafIndex: number) => string | undefined,
  /** The served event: each of its members (each ILMD member) must be a disclosed field. */
  served?: Readonly<Record<string, unknown>>,
): string[] => {
  if (ledger === undefined) return [`${what}: no ledger view`];
  const problems: string[] = [];
  const digests = new Set(ledger.digests);
  for (const disclosure of ledger.disclosures) {
    if (!digests.has(hashDisclosure(disclosure))) {
      problems.push(`${what}: a disclosure hashes to no digest of the leaf`);
    }
  }
  if (served !== undefined) {
    const names = new Set<string>();
    for (const disclosure of ledger.disclosures) {
      try {
        names.add(parseDisclosure(disclosure).name);
      } catch (error) {
        problems.push(`${what}: a disclosure does not parse: ${(error as Error).message}`);
      }
    }
    for (const [member, value] of Object.entries(served)) {
      if (member === 'ledger' || member === 'traceroot:ledger') continue;
      const fields =
        member === 'ilmd' && typeof value === 'object' && value !== null && !names.has('ilmd')
          ? Object.keys(value).map((m) => `ilmd/${m}`)
          : [member];
      for (const field of fields) {
        if (!names.has(field)) problems.push(`${what}: ${field} is served but not disclosed`);
      }
    }
  }
  const hidden = ledger.withheld + ledger.erased.length;
  if (ledger.disclosures.length + hidden !== ledger.digests.length) {
    problems.push(
      `${what}: ${ledger.disclosures.length} disclosures + ${hidden} hidden ≠ ${ledger.digests.length} digests`,
    );
  }
  let rebuilt: string | null = null;
  try {
    rebuilt = leafHashOf(ledger.eventHashId, ledger.digests);
  } catch (error) {
    problems.push(`${what}: the leaf does not rebuild: ${(error as Error).message}`);
  }
  const trusted = trustedLeafHash(ledger.leafIndex);
  if (rebuilt !== null && rebuilt !== trusted) {
    problems.push(
      `${what}: rebuilt leaf hash ${rebuilt} ≠ the audited log's ${String(trusted)} at ${ledger.leafIndex}`,
    );
  }
  return problems;
};

/** One leaf as GET /log/leaves serves it. */
export type LeafView = {
  leafIndex: number;
  leafHash: string;
  eventID: string | null;
  eventHashId: string | null;
  disclosures: string[];
  hiddenDigests: string[];
  erased: string[];
};

/**
 * GET /log/leaves and /log/checkpoints as `key` (undefined: anonymous) sees them, audited with
 * auditLog as `traceroot audit --url` does. `text` is the leaves answer as served.
 */
export const auditAs = async (
  baseUrl: string,
  key: string | undefined,
  trustedKeys: readonly string[],
  origin: string,
): Promise<{ result: AuditResult; leaves: LeafView[]; text: string }> => {
  const options = key === undefined ? {} : { key };
  const leavesResponse = await call(baseUrl, '/log/leaves?start=0&end=1000', options);
  const text = await leavesResponse.text();
  if (leavesResponse.status !== 200) throw new Error(`GET /log/leaves: ${text}`);
  const page = JSON.parse(text) as { leaves: LeafView[]; next: number | null };
  if (page.next !== null) throw new Error('GET /log/leaves: more than one page');
  const checkpoints = (await (
    await call(baseUrl, '/log/checkpoints?start=0&limit=1000', options)
  ).json()) as { checkpoints: { treeSize: number; note: string }[]; next: number | null };
  if (checkpoints.next !== null) throw new Error('GET /log/checkpoints: more than one page');
  const leaves: AuditLeaf[] = page.leaves.map((leaf) => ({
    leafIndex: leaf.leafIndex,
    leafHash: leaf.leafHash,
    eventId: leaf.eventID,
    eventHashId: leaf.eventHashId,
    disclosures: leaf.disclosures,
    hiddenDigests: leaf.hiddenDigests,
  }));
  const result = await auditLog(
    {
      leaves,
      checkpoints: checkpoints.checkpoints.map((c) => ({ note: c.note, treeSize: c.treeSize })),
    },
    { trustedKeys, origin },
  );
  return { result, leaves: page.leaves, text };
};

/** The proof section of an FSMA 204 CSV (after the empty line): its `Proof,Value` rows. */
export const fsmaProof = (csv: string): Map<string, string> => {
  const lines = parseCsv(csv);
  const blank = lines.findIndex((l) => l.length === 1 && l[0] === '');
  if (blank < 0) throw new Error('the FSMA 204 CSV has no proof section');
  return new Map(lines.slice(blank + 2).map(([k, v]) => [k!, v ?? '']));
};

/**
 * An answer as a prober compares it: its status and body, without `requestId` and `instance`
 * (they name the occurrence) and with every occurrence of the probed `ids` (as given and
 * URL-encoded) replaced by `<id>`.
 */
export const probeAnswer = async (
  response: Response,
  ids: readonly string[],
): Promise<{ status: number; contentType: string | null; body: unknown }> => {
  const text = await response.text();
  const replace = (value: string): string =>
    ids.reduce(
      (out, id) => out.split(id).join('<id>').split(encodeURIComponent(id)).join('<id>'),
      value,
    );
  const strip = (value: unknown): unknown => {
    if (typeof value === 'string') return replace(value);
    if (Array.isArray(value)) return value.map(strip);
    if (typeof value === 'object' && value !== null) {
      return Object.fromEntries(
        Object.entries(value)
          .filter(([name]) => name !== 'requestId' && name !== 'instance')
          .map(([name, member]) => [name, strip(member)]),
      );
    }
    return value;
  };
  let body: unknown = replace(text);
  try {
    body = strip(JSON.parse(text));
  } catch {
    // Not JSON: compared as text.
  }
  return { status: response.status, contentType: response.headers.get('content-type'), body };
};
