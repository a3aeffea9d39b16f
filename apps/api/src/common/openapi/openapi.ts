import type { INestApplication } from '@nestjs/common';
import type { OpenAPIObject, OperationObject, PathItemObject, SchemaObject } from '@nestjs/swagger';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';

import { APP_VERSION } from '../../config/app-version.js';
import type { DomainErrorCode } from '../errors/domain-error.js';
import { PROBLEM_CONTENT_TYPE, type ProblemCode } from '../errors/problem-details.js';
import { PROBLEM_TYPE_BASE, STATUS_BY_CODE } from '../errors/problem-types.js';
import { EPCIS_SCHEMAS } from './epcis-binding.js';

export const OPENAPI_JSON_PATH = '/openapi.json';
export const DOCS_PATH = '/docs';
/** The security scheme for API keys: controllers that need one say `@ApiBearerAuth(API_KEY_AUTH)`. */
export const API_KEY_AUTH = 'api-key';

const PROBLEM_CODES: ProblemCode[] = [
  ...(Object.keys(STATUS_BY_CODE) as DomainErrorCode[]),
  'INTERNAL_ERROR',
];

const problemDetailsSchema: SchemaObject = {
  type: 'object',
  description:
    'RFC 9457 problem details, the body of every error (`application/problem+json`). `type` is ' +
    'the EPCIS 2.0 exception (`epcisException:ValidationException`, …) when the error is one, ' +
    `else \`${PROBLEM_TYPE_BASE}<code in kebab-case>\`, or \`about:blank\` for a bare HTTP status.`,
  required: ['type', 'title', 'status', 'detail', 'instance', 'errors'],
  properties: {
    type: { type: 'string', example: 'epcisException:ValidationException' },
    title: { type: 'string', example: 'Invalid request' },
    status: { type: 'integer', example: 400 },
    detail: { type: 'string', example: 'eventTime must be a date-time' },
    instance: { type: 'string', description: 'The request path', example: '/capture' },
    code: { type: 'string', enum: PROBLEM_CODES, example: 'VALIDATION_FAILED' },
    requestId: { type: 'string', description: 'Also the X-Request-ID response header' },
    errors: {
      type: 'array',
      items: {
        type: 'object',
        required: ['pointer', 'detail'],
        properties: {
          pointer: {
            type: 'string',
            description: 'RFC 6901 JSON Pointer into the request body',
            example: '/epcisBody/eventList/0/eventTime',
          },
          detail: { type: 'string', example: 'must be a date-time' },
        },
      },
    },
  },
};

const OPERATION_METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch'] as const;

/** Declares ProblemDetails once and makes it every operation's `default` response. */
export const withProblemDetails = (document: OpenAPIObject): OpenAPIObject => {
  const operations = Object.values(document.paths).flatMap((item: PathItemObject) =>
    OPERATION_METHODS.map((method) => item[method]).filter(
      (operation): operation is OperationObject => operation !== undefined,
    ),
  );
  for (const operation of operations) {
    operation.responses.default ??= {
      description: 'An error, as RFC 9457 problem details',
      content: {
        [PROBLEM_CONTENT_TYPE]: { schema: { $ref: '#/components/schemas/ProblemDetails' } },
      },
    };
  }
  document.components = {
    ...document.components,
    schemas: { ...document.components?.schemas, ProblemDetails: problemDetailsSchema },
  };
  return document;
};

/** Declares the EPCIS schemas the /capture and /events operations refer to (epcis-binding.ts). */
export const withEpcisSchemas = (document: OpenAPIObject): OpenAPIObject => {
  document.components = {
    ...document.components,
    schemas: { ...document.components?.schemas, ...EPCIS_SCHEMAS },
  };
  return document;
};

/**
 * Serves the OpenAPI document generated from the controllers at /openapi.json and Swagger UI at
 * /docs. The UI's assets come from swagger-ui-dist in node_modules and the document is inlined,
 * so the page works offline; the online validator badge is turned off for the same reason.
 */
export const setupOpenApi = (app: INestApplication): void => {
  const config = new DocumentBuilder()
    .setTitle('Traceroot API')
    .setVersion(APP_VERSION)
    .setDescription(
      'EPCIS 2.0 capture and query on a tamper-evident, publicly verifiable log (RFC 6962).',
    )
    .addBearerAuth({ type: 'http', scheme: 'bearer', description: 'An API key' }, API_KEY_AUTH)
    .build();
  SwaggerModule.setup(
    DOCS_PATH,
    app,
    () => withEpcisSchemas(withProblemDetails(SwaggerModule.createDocument(app, config))),
    {
      jsonDocumentUrl: OPENAPI_JSON_PATH,
      raw: ['json'],
      customSiteTitle: 'Traceroot API',
      swaggerOptions: { validatorUrl: null },
    },
  );
};
