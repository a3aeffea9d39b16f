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

const identifierSql = (filter: Extract<Filter, { kind: 'identifier' }>, p: Parameters): string => {
  const roles = p.add([...filter.roles], '::text[]');
  const branches: string[] = [];
  if (filter.exact.length > 0) {
    branches.push(
      `SELECT event_seq FROM event_identifiers WHERE identifier = ANY(${p.add(filter.exact, '::text[]')}) AND role = ANY(${roles})`,
    );
  }
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
  return branches.length === 0 ? 'false' : `e.seq IN (${branches.join(' UNION ')})`;
};

const termSql = (filter: Extract<Filter, { kind: 'term' }>, p: Parameters): string => {
  const term = p.add(filter.term);
  const branches: string[] = [];
  if (filter.exact.length > 0) {
    branches.push(
      `SELECT event_seq FROM event_terms WHERE term = ${term} AND value = ANY(${p.add(filter.exact, '::text[]')})`,
    );
  }
  for (const prefix of filter.prefixes) {
    branches.push(`SELECT event_seq FROM event_terms WHERE term = ${term} AND ${range('value', prefix, p)}`);
  }
  return branches.length === 0 ? 'false' : `e.seq IN (${branches.join(' UNION ')})`;
};

const filterSql = (filter: Filter, p: Parameters): string => {
  switch (filter.kind) {
    case 'column':
      return `e.${filter.column} = ANY(${p.add(filter.values, '::text[]')})`;
    case 'time':
      return `e.${filter.column} ${filter.op} ${p.add(filter.value, '::timestamptz')}`;
    case 'identifier':
      return identifierSql(filter, p);
    case 'term':
      return termSql(filter, p);
    case 'exists':
      return `e.seq IN (SELECT event_seq FROM event_terms WHERE term = ${p.add(filter.term)})`;
    case 'quantity': {
      const conditions = filter.conditions.map((c) =>
        c.op === '='
          ? `number = ANY(${p.add(c.values.map(String), '::numeric[]')})`
          : `number ${c.op} ${p.add(String(c.values[0]), '::numeric')}`,
      );
      return `e.seq IN (SELECT event_seq FROM event_terms WHERE term = 'quantity' AND number IS NOT NULL AND ${conditions.join(' AND ')})`;
    }
  }
};

/** The WHERE conditions of `filters` (all must hold), parameters added to `p`. */
export const whereOf = (filters: readonly Filter[], p: Parameters): string[] =>
  filters.map((filter) => filterSql(filter, p));

/** The sort key of a page: log order (seq) unless the query has orderBy. */
export type Order = { column: 'seq' | 'event_time' | 'record_time'; direction: 'ASC' | 'DESC' };

export const orderOf = (orderBy: OrderBy | null): Order =>
  orderBy === null
    ? { column: 'seq', direction: 'ASC' }
    : {
        column: orderBy.field === 'eventTime' ? 'event_time' : 'record_time',
        direction: orderBy.direction,
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
