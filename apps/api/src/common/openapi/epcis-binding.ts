import { applyDecorators } from '@nestjs/common';
import type { HeaderObject, SchemaObject } from '@nestjs/swagger';
import { ApiBody, ApiConsumes, ApiHeader, ApiParam, ApiQuery, ApiResponse } from '@nestjs/swagger';

import type { DomainErrorCode, EpcisExceptionName } from '../errors/domain-error.js';
import { PROBLEM_CONTENT_TYPE } from '../errors/problem-details.js';
import { problemTypeOfCode, problemTypeOfEpcisException } from '../errors/problem-types.js';
import { JSON_MEDIA_TYPES } from '../http/json-body.js';
import { DEFAULT_PER_PAGE, MAX_PER_PAGE } from '../http/paging.js';
import { EPCIS_EVENT_TYPES } from '../../capture/validation/schema-validators.js';

// The pieces of the EPCIS 2.0 REST binding's OpenAPI document (conformance/epcis/openapi/
// openapi.yaml) that the /capture and /events controllers declare: its parameter, header and
// schema names (perPage, nextPageToken, GS1-Capture-Error-Behaviour, Link, CaptureJob, …), so the
// served /openapi.json reads like the binding. Decorators only: none of this changes behaviour.

const schemaRef = (name: string) => ({ $ref: `#/components/schemas/${name}` });

const EPCIS_JSON_SCHEMA = 'https://ref.gs1.org/standards/epcis/2.0.0/epcis-json-schema.json';

/** Component schemas the decorators below refer to; openapi.ts adds them to the document. */
export const EPCIS_SCHEMAS: Readonly<Record<string, SchemaObject>> = {
  EPCISEvent: {
    type: 'object',
    description: `One EPCIS 2.0 event in JSON / JSON-LD (validated against ${EPCIS_JSON_SCHEMA}).`,
    required: ['type', 'eventTime', 'eventTimeZoneOffset'],
    additionalProperties: true,
    properties: {
      '@context': { description: 'JSON-LD context (POST /events only)' },
      type: { type: 'string', enum: [...EPCIS_EVENT_TYPES], example: 'ObjectEvent' },
      eventID: {
        type: 'string',
        format: 'uri',
        description: 'Optional on capture: the CBV 2.0 event hash ID when absent',
        example:
          'ni:///sha-256;df7bb3c352fef055578554f09f5e2aa41782150ced7bd0b8af24dd3ccb30ba69?ver=CBV2.0',
      },
      eventTime: { type: 'string', format: 'date-time' },
      eventTimeZoneOffset: { type: 'string', example: '+01:00' },
      recordTime: { type: 'string', format: 'date-time', description: 'Set by the service' },
    },
  },
  LedgerEvent: {
    description: 'An EPCIS event as its leaf commits to it, with its place in the log.',
    allOf: [
      schemaRef('EPCISEvent'),
      {
        type: 'object',
        required: ['ledger'],
        properties: {
          ledger: {
            type: 'object',
            required: ['leafIndex', 'sealed'],
            properties: {
              leafIndex: { type: 'integer', minimum: 0 },
              sealed: { type: 'boolean', description: 'Whether a signed checkpoint covers it' },
              treeSize: {
                type: 'integer',
                description: 'The smallest signed tree size covering it, once sealed',
              },
            },
          },
        },
      },
    ],
  },
  EPCISDocument: {
    type: 'object',
    description:
      'An EPCISDocument (or EPCISQueryDocument) carrying the events to capture, validated ' +
      `against ${EPCIS_JSON_SCHEMA}.`,
    required: ['@context', 'type', 'schemaVersion', 'creationDate'],
    additionalProperties: true,
    properties: {
      '@context': {
        example: ['https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld'],
      },
      type: { type: 'string', enum: ['EPCISDocument', 'EPCISQueryDocument'] },
      schemaVersion: { type: 'string', example: '2.0' },
      creationDate: { type: 'string', format: 'date-time' },
      epcisHeader: { type: 'object' },
      epcisBody: {
        type: 'object',
        properties: { eventList: { type: 'array', items: schemaRef('EPCISEvent') } },
      },
    },
  },
  EPCISQueryDocument: {
    type: 'object',
    description: 'The events of one page, in log order.',
    required: ['@context', 'type', 'schemaVersion', 'creationDate', 'epcisBody'],
    properties: {
      '@context': { type: 'array', items: { type: 'string' } },
      type: { type: 'string', enum: ['EPCISQueryDocument'] },
      schemaVersion: { type: 'string', example: '2.0' },
      creationDate: { type: 'string', format: 'date-time' },
      epcisBody: {
        type: 'object',
        properties: {
          queryResults: {
            type: 'object',
            properties: {
              queryName: { type: 'string', example: 'SimpleEventQuery' },
              resultsBody: {
                type: 'object',
                properties: { eventList: { type: 'array', items: schemaRef('EPCISEvent') } },
              },
            },
          },
        },
      },
    },
  },
  CaptureJob: {
    type: 'object',
    description:
      "The state of a capture job (the binding's CaptureJob). Capture is synchronous here: a job " +
      'is never `running`; `success` is false when some events were refused (`proceed`).',
    required: ['captureID', 'createdAt', 'running', 'success', 'captureErrorBehaviour', 'errors'],
    properties: {
      captureID: {
        type: 'string',
        format: 'uuid',
        description: 'A unique value identifying a capture job generated by the server.',
      },
      createdAt: { type: 'string', format: 'date-time', description: 'When the job started' },
      finishedAt: { type: 'string', format: 'date-time', description: 'When the job finished' },
      running: { type: 'boolean' },
      success: { type: 'boolean' },
      captureErrorBehaviour: { type: 'string', enum: ['rollback', 'proceed'] },
      eventCount: { type: 'integer', minimum: 0, description: 'How many events were stored' },
      errors: {
        type: 'array',
        description: 'One entry per refused event; empty when the job succeeded.',
        items: {
          type: 'object',
          required: ['pointer', 'message', 'exception'],
          properties: {
            pointer: { type: 'string', example: '/epcisBody/eventList/1/eventTime' },
            message: { type: 'string' },
            exception: { type: 'string', example: 'ValidationException' },
          },
        },
      },
    },
  },
  TraceBundle: {
    type: 'object',
    description:
      "A self-contained proof of one event: a signed checkpoint and the event's disclosures with " +
      'their inclusion path (what `traceroot verify` and verifyTraceBundle accept).',
    required: ['checkpoint', 'entries'],
    properties: {
      checkpoint: { type: 'string', description: 'C2SP tlog-checkpoint as a signed note' },
      entries: {
        type: 'array',
        items: {
          type: 'object',
          required: ['leafIndex', 'eventHashId', 'digests', 'disclosures', 'inclusionPath'],
          properties: {
            leafIndex: { type: 'integer', minimum: 0 },
            eventHashId: { type: 'string' },
            digests: { type: 'array', items: { type: 'string' } },
            disclosures: { type: 'array', items: { type: 'string' } },
            inclusionPath: {
              type: 'array',
              items: { type: 'string', format: 'byte' },
              description: 'base64 sibling hashes, bottom-up (RFC 6962)',
            },
          },
        },
      },
    },
  },
};

/** The binding's `Location` response header. */
export const locationHeader = (description: string, example: string): HeaderObject => ({
  description,
  schema: { type: 'string', minLength: 1, example },
});

/** The binding's `Link` response header (components.headers.Link). */
export const LINK_HEADER: HeaderObject = {
  description:
    'A pagination header link, working with the `perPage` and `nextPageToken` query parameters: ' +
    'while there are more results it holds the URL of the next page with `rel="next"`; the last ' +
    'page has none.',
  schema: { type: 'string', example: '</events?perPage=30&nextPageToken=czozMA>; rel="next"' },
};

/** The fixed values of response headers (e.g. the discovery headers), as header objects. */
export const headersWithValues = (values: Readonly<Record<string, string>>) =>
  Object.fromEntries(
    Object.entries(values).map(([name, value]) => [
      name,
      { schema: { type: 'string', example: value } } satisfies HeaderObject,
    ]),
  );

/**
 * The binding's `perPage` and `nextPageToken` query parameters (components.parameters.PerPage,
 * NextPageToken). `maxPerPage`: this service's cap (larger values are served as the cap).
 */
export const ApiPaging = (maxPerPage = MAX_PER_PAGE) =>
  applyDecorators(
    ApiQuery({
      name: 'perPage',
      required: false,
      description:
        `The maximum number of results in a page, a whole number ≥ 1; at most ${maxPerPage} are ` +
        'served (a larger value is served as the cap). While there are more, the `Link` header ' +
        'names the next page.',
      schema: { type: 'integer', minimum: 1, default: DEFAULT_PER_PAGE },
    }),
    ApiQuery({
      name: 'nextPageToken',
      required: false,
      description:
        "Points to the next page: an opaque token from a previous page's `Link` header (a token " +
        'this service did not issue is a 400 QueryParameterException).',
      schema: { type: 'string' },
    }),
  );

/** The binding's `GS1-Capture-Error-Behaviour` request header (components.parameters). */
export const ApiCaptureErrorBehaviour = () =>
  ApiHeader({
    name: 'GS1-Capture-Error-Behaviour',
    required: false,
    description:
      'How capture behaves on an error: `rollback` ("all or nothing", the default) refuses the ' +
      'whole document; `proceed` ("greedy capture") stores its valid events and lists the others ' +
      "in the capture job's `errors`.",
    schema: { type: 'string', enum: ['rollback', 'proceed'], default: 'rollback' },
  });

/** A required request body of JSON or JSON-LD (both media types the service parses). */
export const ApiJsonBody = (schemaName: string, description: string) =>
  applyDecorators(
    ApiConsumes(...JSON_MEDIA_TYPES),
    ApiBody({ required: true, description, schema: schemaRef(schemaName) }),
  );

/** A success response whose body is a component schema (or an array of one). */
export const ApiSchemaResponse = (
  status: number,
  description: string,
  schemaName: string | null,
  options: { isArray?: boolean; headers?: Record<string, HeaderObject> } = {},
) =>
  ApiResponse({
    status,
    description,
    ...(options.headers === undefined ? {} : { headers: options.headers }),
    ...(schemaName === null
      ? {}
      : {
          content: {
            'application/json': {
              schema: options.isArray
                ? { type: 'array', items: schemaRef(schemaName) }
                : schemaRef(schemaName),
            },
          },
        }),
  });

/** An EPCIS exception, or the code of an error without an EPCIS meaning (its traceroot type). */
type ProblemTypeName = EpcisExceptionName | DomainErrorCode;

const problemTypeOf = (name: ProblemTypeName): string =>
  name.endsWith('Exception')
    ? problemTypeOfEpcisException(name as EpcisExceptionName)
    : problemTypeOfCode(name as DomainErrorCode);

/**
 * An error response: RFC 9457 problem details (components.schemas.ProblemDetails) whose `type` is
 * one of those named — mostly the binding's `epcisException:*` types.
 */
export const ApiProblemResponse = (
  status: number,
  description: string,
  types: readonly ProblemTypeName[],
  headers?: Record<string, HeaderObject>,
) =>
  ApiResponse({
    status,
    description,
    ...(headers === undefined ? {} : { headers }),
    content: {
      [PROBLEM_CONTENT_TYPE]: {
        schema: {
          allOf: [
            schemaRef('ProblemDetails'),
            {
              type: 'object',
              properties: {
                status: { type: 'integer', enum: [status] },
                type: { type: 'string', enum: types.map(problemTypeOf) },
              },
            },
          ],
        },
      },
    },
  });

/** 401 and 403 (SecurityException) of an operation that needs an organization's API key. */
export const ApiSecurityResponses = () =>
  applyDecorators(
    ApiProblemResponse(401, 'No API key, or one that is unknown, expired or revoked', [
      'SecurityException',
    ]),
    ApiProblemResponse(403, 'The API key belongs to no organization', ['SecurityException']),
  );

/** A path parameter named as in the binding (captureID, eventID). */
export const ApiPathParameter = (name: string, description: string, example: string) =>
  ApiParam({ name, required: true, description, example, schema: { type: 'string' } });
