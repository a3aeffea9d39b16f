import { describe, expect, it } from '@jest/globals';

import { CaptureValidator } from '../capture/validation/capture-validator.js';
import {
  ADMIN_ACTIONS,
  ADMIN_EXTENSION,
  adminEventId,
  type AdminRecord,
  buildAdminEvent,
} from './admin-action.js';

const ID = '5b0c2d1e-8f7a-4b3c-9d2e-1f0a9b8c7d6e';
const record = (overrides: Partial<AdminRecord> = {}): AdminRecord => ({
  id: ID,
  at: new Date('2026-11-30T10:00:00.123Z'),
  action: 'api-key.create',
  actorKeyId: null,
  actorOrganizationId: '00000000-0000-4000-8000-000000000001',
  organizationId: '0b9c5f0e-3d7a-4c55-9f3e-2a1b4c6d8e0f',
  target: '6f1d9a4e-2b3c-4d5e-8f90-a1b2c3d4e5f6',
  details: { scopes: ['capture'], expiresAt: null },
  ...overrides,
});

describe(buildAdminEvent.name, () => {
  it('is an ObjectEvent observing nothing, at the time of the action, with the record as an extension', () => {
    expect(buildAdminEvent(record())).toEqual({
      '@context': [
        'https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld',
        { traceroot: 'https://traceroot.dev/ns/admin#' },
      ],
      type: 'ObjectEvent',
      eventID: `urn:uuid:${ID}`,
      eventTime: '2026-11-30T10:00:00.123Z',
      eventTimeZoneOffset: '+00:00',
      epcList: [],
      action: 'OBSERVE',
      'traceroot:adminAction': {
        action: 'api-key.create',
        organization: '0b9c5f0e-3d7a-4c55-9f3e-2a1b4c6d8e0f',
        target: '6f1d9a4e-2b3c-4d5e-8f90-a1b2c3d4e5f6',
        actorKeyId: null,
        actorOrganization: '00000000-0000-4000-8000-000000000001',
        details: { scopes: ['capture'], expiresAt: null },
      },
    });
    expect(adminEventId(ID)).toBe(`urn:uuid:${ID}`);
  });

  it.each(ADMIN_ACTIONS)('passes the capture validation for %s', (action) => {
    const event = buildAdminEvent(
      record({
        action,
        organizationId: action === 'keys.rotate' ? null : record().organizationId,
        target: null,
        details: { nested: { list: [1, 'two', null, true] }, empty: {} },
      }),
    );
    const result = new CaptureValidator().validateEvent(event);
    expect(result.failures).toEqual([]);
    expect(result.valid).toBe(true);
  });

  it('would be refused with the record under a member name of no namespace (the check can fail)', () => {
    const { [ADMIN_EXTENSION]: extension, ...event } = buildAdminEvent(record());
    expect(extension).toBeDefined();
    const result = new CaptureValidator().validateEvent({ ...event, adminAction: extension });
    expect(result.valid).toBe(false);
  });
});
