import type { LoggerService, NestApplicationOptions } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';

import type { Env } from '../../config/env.js';
import { setupOpenApi } from '../openapi/openapi.js';
import { JSON_MEDIA_TYPES, requireJsonContent, translateBodyParserErrors } from './json-body.js';
import { assignRequestId, enterRequestContext } from './request-context.js';

/**
 * Options for NestFactory.create / createNestApplication. Nest's own body parsers are off:
 * configureApp installs the JSON parser itself, after the request ID is assigned, so that a
 * too-large or malformed body is answered like every other error.
 */
export const nestAppOptions = (logger: LoggerService | false): NestApplicationOptions => ({
  bodyParser: false,
  logger,
});

/**
 * Everything the HTTP surface needs beyond the modules, in order. main.ts and the e2e helper
 * (test/support/start-app.ts) both call it, so tests see exactly what production serves.
 */
export const configureApp = (
  app: NestExpressApplication,
  env: Pick<Env, 'CAPTURE_MAX_BYTES'>,
): NestExpressApplication => {
  app.disable('x-powered-by');
  app.use(assignRequestId);
  app.use(requireJsonContent);
  app.useBodyParser('json', { type: [...JSON_MEDIA_TYPES], limit: env.CAPTURE_MAX_BYTES });
  app.use(translateBodyParserErrors);
  app.use(enterRequestContext);
  setupOpenApi(app);
  return app;
};
