// The OpenAPI description of /masterdata: request bodies from the zod schemas that check them,
// responses built around the same attribute schemas. Decorators only: no behaviour.
import { applyDecorators } from '@nestjs/common';
import type { SchemaObject } from '@nestjs/swagger';
import { ApiBody, ApiOperation, ApiParam, ApiQuery, ApiResponse } from '@nestjs/swagger';
import { z } from 'zod';

import { ApiProblemResponse } from '../common/openapi/epcis-binding.js';
import { ATTRIBUTE_SCHEMAS } from './masterdata.dto.js';
import { RECORD_KINDS, type RecordKind } from './record-key.js';

const jsonSchema = (schema: z.ZodType, io: 'input' | 'output'): SchemaObject => {
  const document: Record<string, unknown> = z.toJSONSchema(schema, { io, unrepresentable: 'any' });
  delete document.$schema; // OpenAPI 3.0 schema objects have no $schema
  return document;
};

const ENVELOPE: SchemaObject = {
  type: 'object',
  required: ['id', 'kind', 'version', 'validFrom', 'recordedAt', 'updatedBy', 'source'],
  properties: {
    id: {
      type: 'string',
      format: 'uri',
      description: 'The canonical GS1 Digital Link URI of the record (https://id.gs1.org/…)',
      example: 'https://id.gs1.org/01/09506000134352',
    },
    kind: { type: 'string', enum: [...RECORD_KINDS] },
    version: { type: 'integer', minimum: 1 },
    validFrom: { type: 'string', format: 'date-time' },
    recordedAt: { type: 'string', format: 'date-time', description: 'When it was stored' },
    updatedBy: {
      type: 'object',
      required: ['organizationId'],
      properties: { organizationId: { type: 'string', format: 'uuid' } },
    },
    source: {
      type: 'string',
      enum: ['api', 'epcis'],
      description: 'api: PUT /masterdata/…; epcis: master data in a captured EPCIS document',
    },
    private: {
      type: 'object',
      additionalProperties: true,
      description: "Free-form attributes, only in answers to the owning organization's keys",
    },
  },
};

/** One version of a `kind` record: the envelope and the kind's attributes at the top level. */
export const versionSchema = (kind: RecordKind): SchemaObject => ({
  allOf: [ENVELOPE, jsonSchema(ATTRIBUTE_SCHEMAS[kind], 'output')],
});

const WRITE_NOTE =
  'Needs an API key of an organization with the `capture` scope. The first version of a record ' +
  'is created with 201; a changed body adds a version (200); a body equal to the version valid ' +
  'at `validFrom` adds nothing (200, that version). `validFrom` (ISO 8601, not in the future; ' +
  "default now) backdates a version; `private` is returned to the owner's keys only.";

/** PUT /masterdata/…: summary, body, responses. */
export const ApiPutMasterData = (kind: RecordKind, body: z.ZodType, summary: string) =>
  applyDecorators(
    ApiOperation({ summary, description: WRITE_NOTE }),
    ApiBody({ required: true, schema: jsonSchema(body, 'input') }),
    ApiResponse({
      status: 200,
      description: `The new version of the ${kind} (or the unchanged one)`,
      content: { 'application/json': { schema: versionSchema(kind) } },
    }),
    ApiResponse({
      status: 201,
      description: `The first version of the ${kind}`,
      content: { 'application/json': { schema: versionSchema(kind) } },
    }),
    ApiProblemResponse(
      400,
      'The path names no such identifier, or the body is invalid (JSON pointers name the fields); nothing is stored',
      ['ValidationException'],
    ),
    ApiProblemResponse(401, 'No API key, or one that is unknown, expired or revoked', [
      'SecurityException',
    ]),
    ApiProblemResponse(
      403,
      'Another organization owns the record, or the key belongs to no organization or lacks the capture scope',
      ['SecurityException'],
    ),
  );

/** GET /masterdata/…: the `at` parameter and responses. */
export const ApiGetMasterData = (kind: RecordKind) =>
  applyDecorators(
    ApiQuery({
      name: 'at',
      required: false,
      description:
        'An ISO 8601 instant: answer the version valid then (the latest whose validFrom ≤ at) instead of the current one',
      schema: { type: 'string', format: 'date-time' },
    }),
    ApiResponse({
      status: 200,
      description: `The version of the ${kind} valid now (or at \`at\`)`,
      content: { 'application/json': { schema: versionSchema(kind) } },
    }),
    ApiProblemResponse(400, 'The path names no such identifier, or `at` is not ISO 8601', [
      'ValidationException',
      'QueryParameterException',
    ]),
    ApiProblemResponse(404, `No master data for this ${kind} (valid at \`at\`)`, [
      'NoSuchResourceException',
    ]),
  );

/** GET /masterdata/…/versions. */
export const ApiListMasterDataVersions = (kind: RecordKind) =>
  applyDecorators(
    ApiResponse({
      status: 200,
      description: `Every version of the ${kind}, newest first`,
      content: {
        'application/json': {
          schema: {
            type: 'object',
            required: ['id', 'kind', 'versions'],
            properties: {
              id: { type: 'string', format: 'uri' },
              kind: { type: 'string', enum: [kind] },
              versions: { type: 'array', items: versionSchema(kind) },
            },
          },
        },
      },
    }),
    ApiProblemResponse(400, 'The path names no such identifier', ['ValidationException']),
    ApiProblemResponse(404, `No master data for this ${kind}`, ['NoSuchResourceException']),
  );

/** The path parameters of the record routes. */
export const ApiRecordPath = (name: string, description: string, example: string) =>
  ApiParam({ name, required: true, description, example, schema: { type: 'string' } });

export const LOOKUP_RESPONSE: SchemaObject = {
  type: 'object',
  required: ['records'],
  properties: {
    records: {
      type: 'array',
      items: {
        type: 'object',
        required: ['id', 'kind', 'versions'],
        properties: {
          id: { type: 'string', format: 'uri' },
          kind: { type: 'string', enum: [...RECORD_KINDS] },
          versions: {
            type: 'array',
            description:
              'Every version, newest first. The one valid at instant t: the greatest validFrom ≤ t, the highest version among equal validFrom.',
            items: {
              type: 'object',
              required: ['version', 'validFrom', 'source', 'attributes'],
              properties: {
                version: { type: 'integer', minimum: 1 },
                validFrom: { type: 'string', format: 'date-time' },
                source: { type: 'string', enum: ['api', 'epcis'] },
                attributes: { type: 'object', additionalProperties: true },
              },
            },
          },
        },
      },
    },
  },
};

export { jsonSchema };
