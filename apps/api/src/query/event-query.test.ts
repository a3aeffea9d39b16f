import { describe, expect, it } from '@jest/globals';

import { DomainError } from '../common/errors/domain-error.js';
import { parseEventQuery } from './event-query.js';
import { decodePageToken, encodePageToken } from './page-token.js';
import { orderOf, pageSql, Parameters, prefixEnd } from './query-sql.js';

const GTIN = 'https://id.gs1.org/01/09520123456788';
const refusal = (parameters: Record<string, unknown>): string => {
  try {
    parseEventQuery(parameters);
  } catch (error) {
    expect(error).toBeInstanceOf(DomainError);
    expect((error as DomainError).code).toBe('QUERY_PARAMETER_INVALID');
    return (error as DomainError).message;
  }
  throw new Error(`accepted ${JSON.stringify(parameters)}`);
};

describe('parseEventQuery', () => {
  it('normalises every written form to the index form, and parses its own output again', () => {
    const query = parseEventQuery({
      EQ_bizStep: 'shipping|urn:epcglobal:cbv:bizstep:receiving',
      EQ_disposition: ['in_transit', 'https://ref.gs1.org/cbv/Disp-active'],
      MATCH_epc: 'urn:epc:id:sgtin:9520123.045678.1',
      EQ_readPoint: 'urn:epc:id:sgln:9520123.00001.0',
      GE_eventTime: '2026-03-01T08:00:00 01:00', // '+' arrived as a space
      EQ_source_owning_party: 'https://example.com/414/9520123000011?x=1',
      EXISTS_errorDeclaration: '',
      EQ_quantity: '1|2.5',
    });
    expect(query.parameters).toEqual({
      EQ_bizStep: [
        'https://ref.gs1.org/cbv/BizStep-shipping',
        'https://ref.gs1.org/cbv/BizStep-receiving',
      ],
      EQ_disposition: [
        'https://ref.gs1.org/cbv/Disp-in_transit',
        'https://ref.gs1.org/cbv/Disp-active',
      ],
      EQ_quantity: [1, 2.5],
      EQ_readPoint: ['https://id.gs1.org/414/9520123000011'],
      EQ_source_owning_party: ['https://id.gs1.org/414/9520123000011'],
      EXISTS_errorDeclaration: true,
      GE_eventTime: '2026-03-01T07:00:00.000Z',
      MATCH_epc: ['https://id.gs1.org/01/09520123456788/21/1'],
    });
    expect(parseEventQuery(query.parameters)).toEqual(query);
  });

  it('reads the JSON form of POST /queries (arrays, numbers, integers)', () => {
    const query = parseEventQuery({
      eventType: ['ObjectEvent'],
      GE_eventTime: Date.UTC(2026, 2, 1),
      GT_quantity: 5,
      orderBy: 'eventTime',
      orderDirection: 'ASC',
      eventCountLimit: 10,
      EXISTS_sensorElementList: null,
    });
    expect(query.orderBy).toEqual({ field: 'eventTime', direction: 'ASC' });
    expect(query.eventCountLimit).toBe(10);
    expect(query.parameters.GE_eventTime).toBe('2026-03-01T00:00:00.000Z');
  });

  it('turns class-level values into prefixes and lots (instance parameters) or lots of a GTIN (class parameters)', () => {
    const [instance] = parseEventQuery({
      MATCH_epc: 'urn:epc:idpat:sgtin:9520123.045678.*',
    }).filters;
    expect(instance).toMatchObject({ kind: 'identifier', exact: [], prefixes: [`${GTIN}/`] });
    const [lot] = parseEventQuery({ MATCH_anyEPC: `${GTIN}/10/L1` }).filters;
    expect(lot).toMatchObject({ prefixes: [`${GTIN}/10/L1/21/`], ilmdLots: [`${GTIN}/10/L1`] });
    const [cls] = parseEventQuery({ MATCH_epcClass: GTIN }).filters;
    expect(cls).toMatchObject({ exact: [GTIN], prefixes: [`${GTIN}/10/`], ilmdLots: [] });
    const [within] = parseEventQuery({ WD_bizLocation: 'urn:epc:id:sgln:9520123.00001.0' }).filters;
    expect(within).toMatchObject({
      kind: 'term',
      exact: ['https://id.gs1.org/414/9520123000011'],
      prefixes: ['https://id.gs1.org/414/9520123000011/254/'],
    });
  });

  it.each([
    [{ EQ_colour: 'red' }, 'EQ_colour'],
    [{ perPage: '3' }, 'perPage'],
    [{ GE_eventTime: '2026-03-01' }, 'GE_eventTime'],
    [{ LT_eventTime: ['2026-03-01T00:00:00Z', '2026-03-02T00:00:00Z'] }, 'LT_eventTime'],
    [{ GT_quantity: '1,5' }, 'GT_quantity'],
    [{ eventCountLimit: '2' }, 'eventCountLimit needs orderBy'],
    [{ orderBy: 'eventTime', eventCountLimit: 2, maxEventCount: 3 }, 'not both'],
    [{ maxEventCount: '-1' }, 'maxEventCount'],
    [{ orderBy: 'bizStep' }, 'orderBy'],
    [{ eventType: 'ObjectEvent|' }, 'eventType'],
    [{ MATCH_epc: 'urn:epc:id:sgtin:1.2' }, 'MATCH_epc'],
    [{ MATCH_epc: 'not a uri' }, 'MATCH_epc'],
    [{ EQ_bizLocation: 42 }, 'EQ_bizLocation'],
    [{ EXISTS_errorDeclaration: false }, 'EXISTS_errorDeclaration'],
  ])('refuses %j naming %s', (parameters, name) => {
    expect(refusal(parameters)).toContain(name);
  });
});

describe('page tokens', () => {
  const query = parseEventQuery({ eventType: 'ObjectEvent' });

  it('carry the position and count, for the query that issued them only', () => {
    const token = encodePageToken(query, { time: '2026-03-01T00:00:00.000Z', seq: 41 }, 30);
    expect(decodePageToken(token, query)).toEqual({
      after: { time: '2026-03-01T00:00:00.000Z', seq: 41 },
      served: 30,
    });
    expect(() =>
      decodePageToken(token, parseEventQuery({ eventType: 'AggregationEvent' })),
    ).toThrow('nextPageToken');
  });

  it.each(['', 'x', Buffer.from('{"v":1,"q":"a","t":null,"s":-1,"n":0}').toString('base64url')])(
    'refuses %p naming nextPageToken',
    (token) => {
      expect(() => decodePageToken(token, query)).toThrow('nextPageToken');
    },
  );
});

describe('query SQL', () => {
  it('prefixEnd bounds every string that starts with the prefix', () => {
    expect(prefixEnd(`${GTIN}/`)).toBe(`${GTIN}0`);
  });

  it('takes a page of seqs from the index first for a single index filter in log order', () => {
    const query = parseEventQuery({ MATCH_epc: `${GTIN}/21/1` });
    const p = new Parameters();
    const sql = pageSql(
      'SELECT * FROM events e',
      query.filters,
      orderOf(null),
      { time: null, seq: 7 },
      30,
      p,
    );
    expect(sql).toContain('ORDER BY event_seq LIMIT');
    expect(sql.match(/identifier = \$/g)).toHaveLength(2); // one branch per role (epc, childEPC)
    expect(p.values).toContain('7');
  });

  it('orders by the bounded time when there is no orderBy, by orderBy otherwise', () => {
    const timed = parseEventQuery({ GE_recordTime: '2026-03-01T00:00:00Z' });
    expect(orderOf(null, timed.filters)).toEqual({ column: 'record_time', direction: 'ASC' });
    expect(orderOf({ field: 'eventTime', direction: 'DESC' }, timed.filters)).toEqual({
      column: 'event_time',
      direction: 'DESC',
    });
    expect(orderOf(null, [])).toEqual({ column: 'seq', direction: 'ASC' });
  });
});
