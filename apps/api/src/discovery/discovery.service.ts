import type { IncomingHttpHeaders } from 'node:http';

import { Injectable } from '@nestjs/common';

import { DomainError } from '../common/errors/domain-error.js';
import { DOCS_PATH, OPENAPI_JSON_PATH } from '../common/openapi/openapi.js';
import { CBV_VERSION, EPCIS_VERSION } from './epcis-headers.js';

/** GET /: the EPCIS TopLevelResourceCollection, plus links to everything else the API serves. */
export type ApiIndex = {
  '@context': string;
  type: 'Collection';
  /** The EPCIS top-level resources implemented so far. */
  member: string[];
  links: Record<string, string>;
};

const EPCIS_CONTEXT = 'https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld';

const API_INDEX: ApiIndex = {
  '@context': EPCIS_CONTEXT,
  type: 'Collection',
  member: ['capture', 'events'],
  links: {
    openapi: OPENAPI_JSON_PATH,
    docs: DOCS_PATH,
    capture: '/capture',
    events: '/events',
    checkpoint: '/log/checkpoint',
    health: '/healthz',
    readiness: '/readyz',
  },
};

// The OpenAPI `version` schema: dot-separated integers.
const VERSION = /^\d{1,9}(\.\d{1,9}){0,3}$/;

/** Compares dot-separated versions numerically; missing parts count as 0 (2.0 = 2.0.0). */
export const compareVersions = (a: string, b: string): number => {
  const left = a.split('.').map(Number);
  const right = b.split('.').map(Number);
  for (let i = 0; i < Math.max(left.length, right.length); i += 1) {
    const difference = (left[i] ?? 0) - (right[i] ?? 0);
    if (difference !== 0) return Math.sign(difference);
  }
  return 0;
};

type Range = { header: string; ours: string; bound: 'min' | 'max' };

const RANGES: readonly Range[] = [
  { header: 'GS1-EPCIS-Min', ours: EPCIS_VERSION, bound: 'min' },
  { header: 'GS1-EPCIS-Max', ours: EPCIS_VERSION, bound: 'max' },
  { header: 'GS1-CBV-Min', ours: CBV_VERSION, bound: 'min' },
  { header: 'GS1-CBV-Max', ours: CBV_VERSION, bound: 'max' },
];

@Injectable()
export class DiscoveryService {
  /**
   * The API index, after checking the client's GS1-EPCIS/CBV-Min/Max request headers against the
   * one version this service speaks: a range that excludes it is a 406 NotAcceptableException.
   */
  getIndex(headers: IncomingHttpHeaders): ApiIndex {
    for (const { header, ours, bound } of RANGES) {
      const value = headers[header.toLowerCase()];
      if (value === undefined) continue;
      // Attacker-controlled: never echoed, only the header name is.
      if (typeof value !== 'string' || !VERSION.test(value.trim())) {
        throw new DomainError('VALIDATION_FAILED', `${header} must be a version such as 2.0.0`);
      }
      const order = compareVersions(value.trim(), ours);
      if ((bound === 'min' && order > 0) || (bound === 'max' && order < 0)) {
        throw new DomainError(
          'NOT_ACCEPTABLE',
          `${header} excludes ${ours}, the only version served`,
        );
      }
    }
    return API_INDEX;
  }
}
