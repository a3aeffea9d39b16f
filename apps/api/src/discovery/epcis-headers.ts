import { Header, applyDecorators } from '@nestjs/common';

import { APP_VERSION } from '../config/app-version.js';

/** The EPCIS and CBV versions this repository implements, and the only ones it accepts. */
export const EPCIS_VERSION = '2.0.0';
export const CBV_VERSION = '2.0.0';

/**
 * EPCIS 2.0 REST binding discovery headers (OpenAPI `components.headers`, as listed by the
 * `204DefaultDiscoveryResponse`). Left out on purpose: GS1-CBV-XML-Format (it governs XML
 * responses, and this service answers in JSON only) and GS1-Extensions (none supported).
 * GS1-EPC-Format is Never_Translates: events are stored and returned as captured.
 */
export const EPCIS_DISCOVERY_HEADERS: Readonly<Record<string, string>> = {
  'GS1-EPCIS-Version': EPCIS_VERSION,
  'GS1-EPCIS-Min': EPCIS_VERSION,
  'GS1-EPCIS-Max': EPCIS_VERSION,
  'GS1-CBV-Version': CBV_VERSION,
  'GS1-CBV-Min': CBV_VERSION,
  'GS1-CBV-Max': CBV_VERSION,
  'GS1-EPC-Format': 'Never_Translates',
  'GS1-Vendor-Version': `traceroot-${APP_VERSION}`,
};

/** Sets the EPCIS discovery headers on a route's successful responses (e.g. OPTIONS /capture). */
export const EpcisDiscoveryHeaders = (): MethodDecorator =>
  applyDecorators(
    ...Object.entries(EPCIS_DISCOVERY_HEADERS).map(([name, value]) => Header(name, value)),
  );
