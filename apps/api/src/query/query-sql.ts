import type { Filter, OrderBy } from './event-query.js';

// The SQL of an EventQuery's filters (pure; the repository runs it). Every filter is served by an
// index (docs/adr/0009-query-index.md): columns of events by their (column, event_time) indexes or
// the event_id / time indexes; identifiers by event_identifiers' primary key (identifier, role,
// event_seq); terms by event_terms' primary key (term, value, event_seq) or its quantity index.
// Prefixes are key ranges [prefix, prefix⁺) of those C-collated columns.

/** Collects positional parameters ($1, $2, …) while a statement is built. */
export class Parameters {
  readonly values: unknown[] = [];
  add(value: unknown, cast = ''): string {
    this.values.push(value);
    return `$${this.values.length}${cast}`;
  }
}

/** The smallest string greater than every string that starts with `prefix` (byte order). */
export const prefixEnd = (prefix: string): string =>
  prefix.slice(0, -1) + String.fromCharCode(prefix.charCodeAt(prefix.length - 1) + 1);

const range = (column: string, prefix: string, p: Parameters): string =>
  `${column} >= ${p.add(prefix)} AND ${column} < ${p.add(prefixEnd(prefix))}`;

/**
 * The branches of an index filter: SELECTs of event_seq whose union is the filter's events. Exact
 * values get one branch per (value, role) with scalar equality, so that each branch is a range of
 * its primary key in event_seq order (a page of them reads a page of index entries).
 */
const MAX_ORDERED_BRANCHES = 32;

const identifierBranches = (
  filter: Extract<Filter, { kind: 'identifier' }>,
  p: Parameters,
): string[] => {
  const branches: string[] = [];
  if (filter.exact.length * filter.roles.length <= MAX_ORDERED_BRANCHES) {
    for (const value of filter.exact) {
      const v = p.add(value);
      for (const role of filter.roles) {
        branches.push(
          `SELECT event_seq FROM event_identifiers WHERE identifier = ${v} AND role = ${p.add(role)}`,
        );
      }
    }
  } else if (filter.exact.length > 0) {
    branches.push(
      `SELECT event_seq FROM event_identifiers WHERE identifier = ANY(${p.add(filter.exact, '::text[]')}) AND role = ANY(${p.add([...filter.roles], '::text[]')})`,
    );
  }
  const roles =
    filter.prefixes.length + filter.ilmdLots.length > 0 ? p.add([...filter.roles], '::text[]') : '';
  for (const prefix of filter.prefixes) {
    branches.push(
      `SELECT event_seq FROM event_identifiers WHERE ${range('identifier', prefix, p)} AND role = ANY(${roles})`,
    );
  }
  if (filter.ilmdLots.length > 0) {
    // Items commissioned in the lot: the instance identifiers (of the lot's GTIN) of the events
    // whose ILMD names the lot, then every event naming one of them in the parameter's roles.
    branches.push(
      `SELECT event_seq FROM event_identifiers WHERE role = ANY(${roles}) AND identifier IN (
         SELECT m.identifier FROM event_terms t
           JOIN event_identifiers m ON m.event_seq = t.event_seq AND m.role IN ('epc', 'outputEPC')
          WHERE t.term = 'ilmdLot' AND t.value = ANY(${p.add(filter.ilmdLots, '::text[]')})
            AND m.identifier LIKE 'https://id.gs1.org/01/' || substr(t.value, 23, 14) || '/%')`,
    );
  }
  return branches;
};

const termBranches = (filter: Extract<Filter, { kind: 'term' }>, p: Parameters): string[] => {
  const term = p.add(filter.term);
  const branches: string[] = [];
  if (filter.exact.length <= MAX_ORDERED_BRANCHES) {
    for (const value of filter.exact) {
      branches.push(
        `SELECT event_seq FROM event_terms WHERE term = ${term} AND value = ${p.add(value)}`,
      );
    }
  } else {
    branches.push(
      `SELECT event_seq FROM event_terms WHERE term = ${term} AND value = ANY(${p.add(filter.exact, '::text[]')})`,
    );
  }
  for (const prefix of filter.prefixes) {
    branches.push(
      `SELECT event_seq FROM event_terms WHERE term = ${term} AND ${range('value', prefix, p)}`,
    );
  }
  return branches;
};

const quantityBranch = (filter: Extract<Filter, { kind: 'quantity' }>, p: Parameters): string => {
  const conditions = filter.conditions.map((c) =>
    c.op === '='
      ? `number = ANY(${p.add(c.values.map(String), '::numeric[]')})`
      : `number ${c.op} ${p.add(String(c.values[0]), '::numeric')}`,
  );
  return `SELECT event_seq FROM event_terms WHERE term = 'quantity' AND number IS NOT NULL AND ${conditions.join(' AND ')}`;
};

type IndexFilter = Extract<Filter, { kind: 'identifier' | 'term' | 'exists' | 'quantity' }>;

const isIndexFilter = (filter: Filter): filter is IndexFilter =>
  filter.kind === 'identifier' ||
  filter.kind === 'term' ||
  filter.kind === 'exists' ||
  filter.kind === 'quantity';

/** The branches whose union is an index filter's set of event seqs. */
const branchesOf = (filter: IndexFilter, p: Parameters): string[] => {
  switch (filter.kind) {
    case 'identifier':
      return identifierBranches(filter, p);
    case 'term':
      return termBranches(filter, p);
    case 'exists':
      return [`SELECT event_seq FROM event_terms WHERE term = ${p.add(filter.term)}`];
    case 'quantity':
      return [quantityBranch(filter, p)];
  }
};

const filterSql = (filter: Filter, p: Parameters): string => {
  if (isIndexFilter(filter)) {
    const branches = branchesOf(filter, p);
    return branches.length === 0 ? 'false' : `e.seq IN (${branches.join(' UNION ')})`;
  }
  if (filter.kind === 'time') {
    return `e.${filter.column} ${filter.op} ${p.add(filter.value, '::timestamptz')}`;
  }
  return filter.values.length === 1
    ? `e.${filter.column} = ${p.add(filter.values[0])}`
    : `e.${filter.column} = ANY(${p.add(filter.values, '::text[]')})`;
};

/** The WHERE conditions of `filters` (all must hold), parameters added to `p`. */
export const whereOf = (filters: readonly Filter[], p: Parameters): string[] =>
  filters.map((filter) => filterSql(filter, p));

/** The sort key of a page: log order (seq) unless the query has orderBy. */
export type Order = { column: 'seq' | 'event_time' | 'record_time'; direction: 'ASC' | 'DESC' };

/**
 * The order of a query's pages: orderBy's when given. Without it, log order (seq) — unless the
 * query bounds eventTime or recordTime: then that time, ascending, so that the range is a range
 * of its index instead of a walk through the log that skips every event outside it.
 */
export const orderOf = (orderBy: OrderBy | null, filters: readonly Filter[] = []): Order => {
  if (orderBy !== null) {
    return {
      column: orderBy.field === 'eventTime' ? 'event_time' : 'record_time',
      direction: orderBy.direction,
    };
  }
  const time = filters.find((f): f is Extract<Filter, { kind: 'time' }> => f.kind === 'time');
  return time === undefined
    ? { column: 'seq', direction: 'ASC' }
    : { column: time.column, direction: 'ASC' };
};

/** Where the previous page ended: its last event's sort value (time, ISO) and seq. */
export type Keyset = { time: string | null; seq: number };

/** The keyset condition (after the previous page, in the page's order) and the ORDER BY. */
export const pageOrder = (
  order: Order,
  after: Keyset | null,
  p: Parameters,
): { condition: string | null; orderBy: string } => {
  const cmp = order.direction === 'ASC' ? '>' : '<';
  if (order.column === 'seq') {
    return {
      condition: after === null ? null : `e.seq ${cmp} ${p.add(String(after.seq), '::bigint')}`,
      orderBy: `e.seq ${order.direction}`,
    };
  }
  return {
    condition:
      after === null
        ? null
        : `(e.${order.column}, e.seq) ${cmp} (${p.add(after.time, '::timestamptz')}, ${p.add(String(after.seq), '::bigint')})`,
    orderBy: `e.${order.column} ${order.direction}, e.seq ${order.direction}`,
  };
};

/**
 * The statement of one page: `select` (a SELECT … FROM events e) with the filters, after `after`,
 * in `order`, at most `limit` rows. In log order with one index filter and nothing else (the
 * usual "one identifier" query), it takes the page of seqs from the index first — each branch
 * bounded by the page size, read in event_seq order — and reads only those events; otherwise the
 * filters are conditions on events and PostgreSQL picks the plan.
 */
export const pageSql = (
  select: string,
  filters: readonly Filter[],
  order: Order,
  after: Keyset | null,
  limit: number,
  p: Parameters,
): string => {
  const [only] = filters;
  if (
    order.column === 'seq' &&
    order.direction === 'ASC' &&
    filters.length === 1 &&
    isIndexFilter(only!)
  ) {
    const branches = branchesOf(only, p);
    if (branches.length === 0) return `${select} WHERE false`;
    const from = after === null ? '' : ` AND event_seq > ${p.add(String(after.seq), '::bigint')}`;
    const n = p.add(limit, '::int');
    // DISTINCT: a branch may name one event several times (a range or a lot's items, several
    // values): its first n rows must be n different events.
    const page = branches
      .map(
        (branch) =>
          `(${branch.replace(/^SELECT event_seq /, 'SELECT DISTINCT event_seq ')}${from} ORDER BY event_seq LIMIT ${n})`,
      )
      .join(' UNION ');
    return `${select} WHERE e.seq IN (SELECT event_seq FROM (${page}) s ORDER BY event_seq LIMIT ${n}) ORDER BY e.seq`;
  }
  const where = whereOf(filters, p);
  const { condition, orderBy } = pageOrder(order, after, p);
  if (condition !== null) where.push(condition);
  return `${select}${where.length > 0 ? ` WHERE ${where.join(' AND ')}` : ''} ORDER BY ${orderBy} LIMIT ${p.add(limit, '::int')}`;
};
