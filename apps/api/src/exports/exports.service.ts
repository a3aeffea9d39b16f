import { Injectable } from '@nestjs/common';
import { computeEventHashId, type TraceBundle } from '@traceroot/trace';

import { DomainError } from '../common/errors/domain-error.js';
import type { Reader } from '../privacy/privacy.service.js';
import { identifierParameter, indexedForm } from '../events/indexed-identifier.js';
import { MasterDataService } from '../masterdata/masterdata.service.js';
import { affectedOf, traceNames } from '../recalls/affected.js';
import { MAX_TRACE_DEPTH, TraceService, type TraceView } from '../trace/trace.service.js';
import { type Fsma204Row, fsma204Rows, type LedgerEvent, lotParts } from './fsma204.js';
import {
  CSV_MEDIA_TYPE,
  type Fsma204Proof,
  fsma204Csv,
  fsma204Xlsx,
  XLSX_MEDIA_TYPE,
} from './fsma204-file.js';
import { ExportsRepository } from './exports.repository.js';

export type Fsma204Query = {
  tlc?: string | undefined;
  gtin?: string | undefined;
  from?: string | undefined;
  to?: string | undefined;
  format?: string | undefined;
};

export type Fsma204Format = 'csv' | 'xlsx';

export type Fsma204File = {
  format: Fsma204Format;
  mediaType: string;
  filename: string;
  body: string | Buffer;
  rows: number;
};

/** Lots one `gtin` export covers, at most (a wider request is refused: narrow from/to). */
export const MAX_EXPORT_LOTS = 100;
/** The longest from–to range of a `gtin` export. */
export const MAX_EXPORT_DAYS = 366;
/** Traces are retried when the log was sealed between them (their bundles must share a checkpoint). */
const BUNDLE_ATTEMPTS = 3;

const invalid = (message: string): DomainError =>
  new DomainError('QUERY_PARAMETER_INVALID', message);

/** `format`, else the Accept header: CSV unless XLSX is asked for; 406 when neither is acceptable. */
export const negotiateFormat = (
  format: string | undefined,
  accept: string | undefined,
): Fsma204Format => {
  if (format !== undefined && format !== '') {
    if (format === 'csv' || format === 'xlsx') return format;
    throw invalid(`format must be csv or xlsx, not "${format}"`);
  }
  const types = (accept ?? '')
    .split(',')
    .map((part) => part.split(';')[0]!.trim().toLowerCase())
    .filter(Boolean);
  if (types.length === 0) return 'csv';
  for (const type of types) {
    if (type === CSV_MEDIA_TYPE || type === 'text/*' || type === '*/*') return 'csv';
    if (type === XLSX_MEDIA_TYPE || type === 'application/*') return 'xlsx';
  }
  throw new DomainError(
    'NOT_ACCEPTABLE',
    `the export is ${CSV_MEDIA_TYPE} or ${XLSX_MEDIA_TYPE} (Accept: ${accept})`,
  );
};

/** A traceability lot code: `(01){gtin}(10){lot}`, an LGTIN URI or a Digital Link of a lot. */
export const parseTlc = (tlc: string): string => {
  const element = /^\(01\)(\d{14})\(10\)(.{1,20})$/.exec(tlc.trim());
  const { identifier } = identifierParameter(
    element ? `/01/${element[1]}/10/${encodeURIComponent(element[2]!)}` : tlc,
    'tlc',
  );
  if (lotParts(identifier) === undefined) {
    throw invalid(`tlc: '${tlc}' names no lot (a GTIN with a lot number)`);
  }
  return identifier;
};

/** A `from`/`to` instant: an RFC 3339 date-time, or a date (its start, UTC). */
const parseInstant = (value: string | undefined, name: string): Date => {
  if (value === undefined || value === '') throw invalid(`${name} is required with gtin`);
  const ok =
    /^\d{4}-\d{2}-\d{2}$/.test(value) ||
    /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/.test(value);
  const time = ok ? Date.parse(value.length === 10 ? `${value}T00:00:00Z` : value) : NaN;
  if (Number.isNaN(time)) {
    throw invalid(`${name} must be a date (YYYY-MM-DD) or an RFC 3339 date-time, not "${value}"`);
  }
  return new Date(time);
};

type Scope =
  | { kind: 'tlc'; lot: string; label: string }
  | { kind: 'gtin'; gtin: string; from: Date; to: Date; label: string };

/** The export's scope from its query parameters (400 naming the parameter on any fault). */
export const parseScope = (query: Fsma204Query): Scope => {
  const given = (v: string | undefined) => v !== undefined && v !== '';
  if (given(query.tlc)) {
    for (const name of ['gtin', 'from', 'to'] as const) {
      if (given(query[name])) throw invalid(`${name} does not go with tlc`);
    }
    const lot = parseTlc(query.tlc!);
    const parts = lotParts(lot)!;
    return { kind: 'tlc', lot, label: `tlc=(01)${parts.gtin}(10)${parts.lot}` };
  }
  if (!given(query.gtin)) throw invalid('give tlc, or gtin with from and to');
  if (!/^(\d{8}|\d{12,14})$/.test(query.gtin!)) {
    throw invalid(`gtin must be a GTIN of 8, 12, 13 or 14 digits, not "${query.gtin}"`);
  }
  const gtin = query.gtin!.padStart(14, '0');
  identifierParameter(`/01/${gtin}`, 'gtin'); // the check digit
  // A date `to` is inclusive: the export runs to the end of that day.
  const from = parseInstant(query.from, 'from');
  const toStart = parseInstant(query.to, 'to');
  const to = query.to!.length === 10 ? new Date(toStart.getTime() + 86_400_000) : toStart;
  if (to <= from) throw invalid('to must be after from');
  if (to.getTime() - from.getTime() > MAX_EXPORT_DAYS * 86_400_000) {
    throw invalid(`from–to spans more than ${MAX_EXPORT_DAYS} days`);
  }
  return {
    kind: 'gtin',
    gtin,
    from,
    to,
    label: `gtin=${gtin} from=${from.toISOString()} to=${to.toISOString()}`,
  };
};

/** The latest version's attributes of each record, by id. */
const latestAttributes = (
  records: readonly { id: string; versions: { attributes: Record<string, unknown> }[] }[],
): Map<string, Record<string, unknown>> =>
  new Map(records.map((r) => [r.id, r.versions.at(-1)?.attributes ?? {}]));

/**
 * GET /exports/fsma204: the traceability lot's (or the GTIN's lots') traces in both directions,
 * their CTEs as rows (fsma204.ts), the master data that describes products and places, and the
 * TraceBundle that proves every sealed row, written as CSV or XLSX.
 */
@Injectable()
export class ExportsService {
  constructor(
    private readonly traces: TraceService,
    private readonly masterData: MasterDataService,
    private readonly repository: ExportsRepository,
  ) {}

  async fsma204(
    query: Fsma204Query,
    accept: string | undefined,
    now: Date = new Date(),
    reader: Reader = null,
  ): Promise<Fsma204File> {
    const scope = parseScope(query);
    const format = negotiateFormat(query.format, accept);
    const { rows, proof } = await this.rowsAndProof(scope, now, reader);
    const stem = `fsma204-${scope.kind === 'tlc' ? scope.label.slice(4) : scope.gtin}`
      .replace(/[^A-Za-z0-9._-]+/g, '_')
      .slice(0, 80);
    return format === 'csv'
      ? {
          format,
          mediaType: CSV_MEDIA_TYPE,
          filename: `${stem}.csv`,
          body: fsma204Csv(rows, proof),
          rows: rows.length,
        }
      : {
          format,
          mediaType: XLSX_MEDIA_TYPE,
          filename: `${stem}.xlsx`,
          body: await fsma204Xlsx(rows, proof),
          rows: rows.length,
        };
  }

  async rowsAndProof(
    scope: Scope,
    now: Date,
    reader: Reader = null,
  ): Promise<{ rows: Fsma204Row[]; proof: Fsma204Proof }> {
    const starts =
      scope.kind === 'tlc'
        ? [scope.lot]
        : await this.repository.lotsOfGtin(scope.gtin, scope.from, scope.to, MAX_EXPORT_LOTS + 1);
    if (starts.length > MAX_EXPORT_LOTS) {
      throw invalid(`gtin: more than ${MAX_EXPORT_LOTS} of its lots in from–to: narrow the range`);
    }
    const traces = await this.tracesAtOneCheckpoint(starts, reader);
    if (scope.kind === 'tlc' && !traceNames(traces[0]!, scope.lot)) {
      throw new DomainError('NOT_FOUND', `tlc: no recorded event names ${scope.label.slice(4)}`, {
        epcisException: 'NoSuchResourceException',
      });
    }

    // Every event once; in a gtin export only those in [from, to).
    const events = new Map<string, LedgerEvent>();
    for (const trace of traces) {
      for (const event of trace.events as LedgerEvent[]) {
        const time = Date.parse(String(event.eventTime));
        if (scope.kind === 'gtin' && (time < scope.from.getTime() || time >= scope.to.getTime())) {
          continue;
        }
        events.set(String(event.eventID), event);
      }
    }
    const lots =
      scope.kind === 'tlc'
        ? new Set(affectedOf(traces).lots.filter((id) => lotParts(id) !== undefined))
        : new Set(starts);

    // The traces' bundles are at one checkpoint: one bundle with every entry once.
    const bundles = traces.flatMap((t) => (t.bundle ? [t.bundle] : []));
    const entries = new Map(bundles.flatMap((b) => b.entries).map((e) => [e.leafIndex, e]));
    const bundle: TraceBundle | null =
      bundles.length === 0 ? null : { ...bundles[0]!, entries: [...entries.values()] };
    const treeSize = traces.find((t) => t.checkpoint)?.checkpoint?.treeSize ?? null;
    const hashIdByLeaf = new Map((bundle?.entries ?? []).map((e) => [e.leafIndex, e.eventHashId]));
    const eventHashIdOf = (event: LedgerEvent): string => {
      const sealed = hashIdByLeaf.get(event.ledger.leafIndex);
      if (sealed !== undefined) return sealed;
      const { '@context': context, ...fields } = event as Record<string, unknown>;
      delete fields.ledger;
      return computeEventHashId(fields, { context });
    };

    const ids = new Set<string>();
    for (const event of events.values()) {
      for (const key of ['readPoint', 'bizLocation']) {
        const id = (event[key] as { id?: unknown } | undefined)?.id;
        if (typeof id === 'string') ids.add(id);
      }
      for (const [listKey, key] of [
        ['sourceList', 'source'],
        ['destinationList', 'destination'],
      ] as const) {
        for (const entry of (event[listKey] as Record<string, unknown>[] | undefined) ?? []) {
          if (typeof entry[key] === 'string') ids.add(entry[key]);
        }
      }
    }
    for (const lot of lots) ids.add(lot);
    const { records } = await this.masterData.lookup(
      [...new Set([...ids].map(indexedForm))].slice(0, 1000),
    );
    const attributes = latestAttributes(records);

    const rows = fsma204Rows({
      events: [...events.values()],
      lots,
      eventHashIdOf,
      treeSize,
      describe: (id) => attributes.get(id) ?? attributes.get(id.replace(/\/254\/[^/]+$/, '')),
    });

    // The bundle of the sealed events the rows come from: the CTEs and what they depend on (the
    // packing that says what a pallet held). Each entry carries its own inclusion path.
    const leaves = new Set([...events.values()].map((e) => e.ledger.leafIndex));
    const rowBundle: TraceBundle | null = bundle && {
      ...bundle,
      entries: bundle.entries.filter((e) => leaves.has(e.leafIndex)),
    };
    const unsealed = [
      ...new Set(
        rows
          .filter((r) => !/^\d+$/.test(r['Sealed by Checkpoint (tree size)']))
          .map((r) => r.eventID),
      ),
    ];
    return {
      rows,
      proof: {
        origin: rowBundle?.checkpoint.split('\n')[0] ?? '',
        checkpoint: rowBundle?.checkpoint ?? '',
        treeSize: rowBundle ? treeSize : null,
        bundle: rowBundle ? JSON.stringify(rowBundle) : '',
        unsealed,
        query: scope.label,
        generatedAt: now.toISOString(),
        truncated: traces.some((t) => t.truncated),
      },
    };
  }

  /** Both-direction traces of every start, with bundles at one checkpoint (retried if sealed between). */
  private async tracesAtOneCheckpoint(
    starts: readonly string[],
    reader: Reader,
  ): Promise<TraceView[]> {
    for (let attempt = 1; ; attempt += 1) {
      const traces: TraceView[] = [];
      for (const identifier of starts) {
        traces.push(
          await this.traces.trace({
            identifier,
            direction: 'both',
            maxDepth: String(MAX_TRACE_DEPTH),
            bundle: 'true',
            reader,
          }),
        );
      }
      const sizes = new Set(traces.flatMap((t) => (t.checkpoint ? [t.checkpoint.treeSize] : [])));
      if (sizes.size <= 1 || attempt >= BUNDLE_ATTEMPTS) {
        if (sizes.size > 1) {
          throw new DomainError('NOT_READY', 'the log is being sealed: try the export again');
        }
        return traces;
      }
    }
  }
}
