import { describe, expect, it } from '@jest/globals';
import { checkRules, DECLARED_YIELD_IRI, memoryRuleState, type Violation } from '@traceroot/trace';

import { buildDemo } from '../demo/scenarios/index.js';

// The published rules over the demo (scenarios 1 and 2): a faithful supply chain breaks none,
// and the Pu'er pressing (1,200 kg of leaf → 300 kg of cake at a declared 25 % yield) balances
// only because of its declared yield.
const demoVerdicts = (edit: (event: Record<string, unknown>) => Record<string, unknown>) => {
  const demo = buildDemo(new Date('2026-11-01T00:00:00Z'));
  const orgs = new Map(
    demo.organizations.map((o, i) => [o.key, { organizationId: `org-${i}`, gln: o.gln }]),
  );
  const state = memoryRuleState();
  const found: { event: Record<string, unknown>; violations: Violation[] }[] = [];
  for (const capture of demo.captures) {
    for (const original of capture.document.epcisBody.eventList) {
      const event = edit({ ...original });
      const recordedBy = orgs.get(capture.by)!;
      const context = capture.document['@context'];
      const violations = checkRules({ fields: event, context, recordedBy }, state);
      if (violations.length > 0) found.push({ event, violations });
    }
  }
  return found;
};

describe('the rules over the demo data', () => {
  it('flag no demo event', () => {
    expect(demoVerdicts((event) => event)).toEqual([]);
  });

  it('read the pressing’s declared yield (tr:declaredYield is ' + DECLARED_YIELD_IRI + ')', () => {
    // Declaring 20 % instead: 1,200 kg × 0.2 = 240 kg < 300 kg out.
    const found = demoVerdicts((event) =>
      'tr:declaredYield' in event ? { ...event, 'tr:declaredYield': 0.2 } : event,
    );
    expect(found.map(({ violations }) => violations.map((v) => [v.rule, v.evidence]))).toEqual([
      [
        [
          'mass-balance.yield',
          expect.objectContaining({ unit: 'KGM', inputs: 1200, outputs: 300, declaredYield: 0.2 }),
        ],
      ],
    ]);
  });
});
