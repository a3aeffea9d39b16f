import type { IncomingMessage, ServerResponse } from 'node:http';

import { DomainError } from '../errors/domain-error.js';

/** The request media types the API reads (EPCIS 2.0 JSON and JSON-LD documents). */
export const JSON_MEDIA_TYPES = ['application/json', 'application/ld+json'] as const;

/** The EPCIS 2.0 REST binding's name for the body limit (OPTIONS /capture announces it too). */
export const CAPTURE_FILE_SIZE_LIMIT_HEADER = 'GS1-EPCIS-Capture-File-Size-Limit';

type Next = (error?: unknown) => void;

// RFC 9110 §6.4: a request has content when it is chunked or declares a non-zero length.
const hasContent = (request: IncomingMessage): boolean => {
  const length = request.headers['content-length'];
  return (
    request.headers['transfer-encoding'] !== undefined ||
    (length !== undefined && length.trim() !== '0')
  );
};

const mediaTypeOf = (request: IncomingMessage): string =>
  (request.headers['content-type'] ?? '').split(';', 1)[0]?.trim().toLowerCase() ?? '';

const isJsonMediaType = (mediaType: string): boolean =>
  (JSON_MEDIA_TYPES as readonly string[]).includes(mediaType);

// Attacker-controlled, echoed in the problem detail: only a plain type/subtype token is repeated.
const quoteMediaType = (mediaType: string): string =>
  /^[\w.+-]{1,64}\/[\w.+-]{1,64}$/.test(mediaType) ? `"${mediaType}"` : 'this media type';

/**
 * Refuses, with 415, a request whose content is not JSON or JSON-LD, before any byte is parsed.
 * Requests without content (GET, an empty POST) pass whatever their Content-Type.
 */
export const requireJsonContent = (
  request: IncomingMessage,
  response: ServerResponse,
  next: Next,
): void => {
  if (!hasContent(request) || isJsonMediaType(mediaTypeOf(request))) {
    next();
    return;
  }
  // Unread content is discarded (as body-parser does on its errors), so the connection stays usable.
  request.resume();
  // RFC 9110 §15.5.16: Accept tells the client which media types would have been read.
  response.setHeader('Accept', JSON_MEDIA_TYPES.join(', '));
  const mediaType = mediaTypeOf(request);
  next(
    new DomainError(
      'UNSUPPORTED_MEDIA_TYPE',
      mediaType === ''
        ? `A request body needs a Content-Type: ${JSON_MEDIA_TYPES.join(' or ')}`
        : `Content-Type ${quoteMediaType(mediaType)} is not supported: send ${JSON_MEDIA_TYPES.join(' or ')}`,
    ),
  );
};

/** The fields body-parser (through http-errors and raw-body) sets on the errors it passes on. */
type BodyParserError = Error & { type: string; status: number; limit?: unknown };

const isBodyParserError = (error: unknown): error is BodyParserError =>
  error instanceof Error &&
  typeof (error as Partial<BodyParserError>).type === 'string' &&
  typeof (error as Partial<BodyParserError>).status === 'number';

const translate = (error: BodyParserError, response: ServerResponse): unknown => {
  switch (error.type) {
    case 'entity.parse.failed':
      return new DomainError('MALFORMED_JSON', `Request body is not valid JSON: ${error.message}`, {
        cause: error,
      });
    case 'entity.too.large': {
      const limit = typeof error.limit === 'number' ? error.limit : undefined;
      if (limit !== undefined) response.setHeader(CAPTURE_FILE_SIZE_LIMIT_HEADER, String(limit));
      return new DomainError(
        'PAYLOAD_TOO_LARGE',
        limit === undefined
          ? 'Request body is too large'
          : `Request body is larger than the limit of ${limit} bytes`,
        { cause: error },
      );
    }
    case 'charset.unsupported':
      return new DomainError(
        'UNSUPPORTED_MEDIA_TYPE',
        'Only UTF-8 JSON is supported (RFC 8259 §8.1)',
        { cause: error },
      );
    case 'encoding.unsupported':
      return new DomainError(
        'UNSUPPORTED_MEDIA_TYPE',
        'Content-Encoding is not supported: send identity, gzip, deflate or br',
        { cause: error },
      );
    default:
      return error;
  }
};

/**
 * An Express error middleware (four parameters) right after the JSON parser: turns its errors into
 * DomainErrors, so a client's mistake is a 4xx problem document with its own code. Errors from
 * elsewhere pass through untouched.
 */
export const translateBodyParserErrors = (
  error: unknown,
  _request: IncomingMessage,
  response: ServerResponse,
  next: Next,
): void => {
  next(isBodyParserError(error) ? translate(error, response) : error);
};
