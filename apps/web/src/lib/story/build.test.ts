import { describe, expect, it } from '@jest/globals';

import type { ApiEvent, ApiTrace, MasterRecord } from './api-types';
import {
  activeRecall,
  identifiersByEvent,
  buildStory,
  cbvWord,
  formatLocalTime,
  sensorSeries,
  versionAt,
} from './build';

const event = (n: number, fields: Record<string, unknown>): ApiEvent => ({
  eventID: `urn:uuid:${n}`,
  type: 'ObjectEvent',
  eventTime: `2026-04-0${n}T08:00:00.000+08:00`,
  eventTimeZoneOffset: '+08:00',
  ledger: { leafIndex: n },
  ...fields,
});
const FARM = 'https://id.gs1.org/414/6901234000016';
const FARMER = 'https://id.gs1.org/417/6901234000016';
const master = (
  id: string,
  kind: MasterRecord['kind'],
  versions: [string, Record<string, unknown>][],
): MasterRecord => ({
  id,
  kind,
  versions: versions.map(([validFrom, attributes], i) => ({
    version: i + 1,
    validFrom,
    attributes,
  })),
});
const canonical = (id: string) => id.replace('urn:epc:id:sgln:6901234.00001.0', FARM);

describe('the product story', () => {
  const trace: ApiTrace = {
    start: [],
    truncated: false,
    nodes: [],
    edges: [],
    events: [
      event(1, {
        action: 'ADD',
        bizStep: 'commissioning',
        readPoint: { id: 'urn:epc:id:sgln:6901234.00001.0' },
        ilmd: { 'cbvmda:harvestStartDate': '2026-04-01' },
      }),
      event(2, { type: 'TransformationEvent', certificationInfo: ['https://cert.example/1'] }),
      event(3, {
        bizStep: 'https://ref.gs1.org/cbv/BizStep-shipping',
        sourceList: [{ type: 'location', source: 'urn:epc:id:sgln:6901234.00001.0' }],
        destinationList: [{ type: 'possessing_party', destination: 'urn:x:carrier' }],
      }),
    ],
  };
  const records = [
    master('https://id.gs1.org/01/06901234543216', 'product', [
      ['2026-01-01T00:00:00Z', { name: 'Tea cake', names: { 'zh-CN': '茶饼' }, brand: 'Menghai' }],
    ]),
    master(FARM, 'location', [
      ['2026-01-01T00:00:00Z', { name: 'Old garden', owningParty: '6901234000016' }],
      ['2026-04-02T00:00:00Z', { name: 'Renamed garden', owningParty: '6901234000016' }],
    ]),
    master(FARMER, 'party', [
      ['2026-01-01T00:00:00Z', { name: 'Cooperative', names: { 'zh-CN': '合作社' } }],
    ]),
  ];

  it('names the origin and each step with the master data valid at the event’s time', () => {
    const story = buildStory('/01/06901234543216/21/1', trace, records, 'en', canonical);
    expect(story.product).toMatchObject({
      gtin: '06901234543216',
      serial: '1',
      name: 'Tea cake',
      brand: 'Menghai',
    });
    expect(story.origin).toMatchObject({
      eventID: 'urn:uuid:1',
      kind: 'commissioning',
      place: 'Old garden',
      who: 'Cooperative',
    });
    expect(story.origin!.details).toEqual([['harvest start date', '2026-04-01']]);
    expect(story.steps.map((s) => s.kind)).toEqual(['commissioning', 'transformation', 'shipping']);
    expect(story.steps[2]).toMatchObject({ from: 'Renamed garden', parties: ['urn:x:carrier'] });
    expect(story.certificates).toEqual(['https://cert.example/1']);
    expect(story.recall).toBeUndefined();
  });

  it('warns when the code’s lot is not the lot the records made this item from', () => {
    const item = 'https://id.gs1.org/01/06901234543216/21/1';
    const made = {
      ...trace,
      edges: [
        {
          eventID: 'urn:uuid:2',
          inputs: ['https://id.gs1.org/01/06901234543216/10/REAL'],
          outputs: [item],
        },
      ],
    };
    expect(
      buildStory('/01/06901234543216/10/FAKE/21/1', made, records, 'en', canonical).lotMismatch,
    ).toEqual({
      claimed: 'FAKE',
      actual: 'REAL',
    });
    expect(
      buildStory('/01/06901234543216/10/REAL/21/1', made, records, 'en', canonical).lotMismatch,
    ).toBeUndefined();
  });

  it('speaks the reader’s language where master data has it', () => {
    const story = buildStory('/01/06901234543216', trace, records, 'zh-CN', canonical);
    expect(story.product.name).toBe('茶饼');
    expect(story.origin!.who).toBe('合作社');
    expect(story.origin!.details).toEqual([['采收开始日期', '2026-04-01']]);
  });

  it('is recalled from the event that set `recalled` until one unsets it for the same identifiers', () => {
    const set = event(4, { persistentDisposition: { set: ['recalled'] } });
    const unset = event(5, {
      persistentDisposition: { unset: ['https://ref.gs1.org/cbv/Disp-recalled'] },
    });
    const named = (ids: Record<string, string[]>) => (e: ApiEvent) => ids[e.eventID] ?? [];
    const lotA = { 'urn:uuid:4': ['lotA'], 'urn:uuid:5': ['lotA'] };
    const otherLot = { 'urn:uuid:4': ['lotA'], 'urn:uuid:5': ['lotB'] };
    expect(activeRecall([...trace.events, set], named(lotA))?.eventID).toBe('urn:uuid:4');
    expect(activeRecall([...trace.events, set, unset], named(lotA))).toBeUndefined();
    // Lifting another lot's recall does not lift this one.
    expect(activeRecall([...trace.events, set, unset], named(otherLot))?.eventID).toBe(
      'urn:uuid:4',
    );
    expect(
      identifiersByEvent({ edges: [{ eventID: 'e', inputs: ['a'], outputs: ['a', 'b'] }] })(
        event(9, { eventID: 'e' }),
      ),
    ).toEqual(['a', 'b']);
  });

  it('does not flag field heat before the first cooled reading, only rises after it', () => {
    const readings = (values: number[]) =>
      event(1, {
        sensorElementList: [
          {
            sensorReport: values.map((value, i) => ({
              type: 'gs1:Temperature',
              value,
              uom: 'CEL',
              time: `2026-04-01T00:${String(i * 15).padStart(2, '0')}:00Z`,
            })),
          },
        ],
      });
    const [series] = sensorSeries([readings([22, 12, 4, 3, 7, 4])]);
    expect(series!.points.map((p) => p.flagged)).toEqual([false, false, false, false, true, false]);
  });

  it('collects temperature readings and flags those above the limit or reported as exceptions', () => {
    const series = sensorSeries([
      event(1, {
        sensorElementList: [
          {
            sensorReport: [
              { type: 'gs1:Temperature', value: 3, uom: 'CEL', time: '2026-04-01T00:15:00Z' },
              { type: 'gs1:Temperature', value: 7.5, uom: 'CEL', time: '2026-04-01T00:00:00Z' },
            ],
          },
        ],
      }),
      event(2, {
        sensorElementList: [
          {
            sensorReport: [
              { type: 'gs1:Temperature', value: 4, uom: 'CEL', exception: 'ALARM_CONDITION' },
              { type: 'gs1:RelativeHumidity', value: 80, uom: 'A93' },
            ],
          },
        ],
      }),
    ]);
    expect(series).toHaveLength(1);
    expect(series[0]!.points.map((p) => [p.value, p.flagged])).toEqual([
      [7.5, false], // before the first cooled reading: field heat
      [3, false],
      [4, true],
    ]);
  });

  it('formats local times with their offset and reads CBV words in every form', () => {
    expect(formatLocalTime('2026-04-01T00:30:00Z', '+08:00', 'en')).toMatch(
      /Apr 1, 2026.*8:30.*\(UTC\+08:00\)/,
    );
    expect(formatLocalTime('2026-04-01T00:30:00Z', '-07:00', 'en')).toMatch(
      /Mar 31, 2026.*5:30.*\(UTC-07:00\)/,
    );
    expect(
      [
        'shipping',
        'cbv:BizStep-shipping',
        'https://ref.gs1.org/cbv/BizStep-shipping',
        'urn:epcglobal:cbv:bizstep:shipping',
      ].map(cbvWord),
    ).toEqual(Array(4).fill('shipping'));
  });

  it('picks the version valid at a time, else the first', () => {
    const map = new Map(records.map((r) => [r.id, r]));
    expect(versionAt(map, FARM, Date.parse('2025-01-01'))?.name).toBe('Old garden');
    expect(versionAt(map, FARM, Date.parse('2026-05-01'))?.name).toBe('Renamed garden');
    expect(versionAt(map, 'nope', 0)).toBeUndefined();
    // The API lists versions newest first; a correction at the same instant wins.
    const tie: MasterRecord = {
      id: 'x',
      kind: 'party',
      versions: [
        { version: 2, validFrom: '2026-01-01T00:00:00Z', attributes: { name: 'Corrected' } },
        { version: 1, validFrom: '2026-01-01T00:00:00Z', attributes: { name: 'Typo' } },
      ],
    };
    expect(versionAt(new Map([['x', tie]]), 'x', Date.parse('2026-06-01'))?.name).toBe('Corrected');
  });
});
