import { describe, expect, it } from '@jest/globals';
import {
  ConflictException,
  HttpException,
  InternalServerErrorException,
  NotFoundException,
  NotImplementedException,
} from '@nestjs/common';

import type { DomainErrorCode } from './domain-error.js';
import { DomainError } from './domain-error.js';
import { INTERNAL_ERROR_DETAIL, toProblem } from './problem-details.js';
import {
  DEFAULT_EPCIS_EXCEPTION_BY_CODE,
  STATUS_BY_CODE,
  problemTypeOfCode,
} from './problem-types.js';

const AT = { instance: '/capture', requestId: 'r-1' };
const CODES = Object.keys(STATUS_BY_CODE) as DomainErrorCode[];

describe(toProblem.name, () => {
  it.each(CODES)('renders %s with its status, a type, a title and no internals', (code) => {
    const problem = toProblem(
      new DomainError(code, 'what went wrong', { cause: new Error('db') }),
      AT,
    );
    expect(problem.status).toBe(STATUS_BY_CODE[code]);
    expect(problem.status).toBeGreaterThanOrEqual(400);
    expect(problem.type).toMatch(
      /^(epcisException:[A-Za-z]+Exception|https:\/\/traceroot\.dev\/problems\/[a-z-]+)$/,
    );
    expect(problem.title).not.toBe('');
    expect(problem).toMatchObject({
      detail: 'what went wrong',
      instance: '/capture',
      code,
      requestId: 'r-1',
      errors: [],
    });
    expect(JSON.stringify(problem)).not.toContain('db');
  });

  it('uses a kebab-case traceroot type for codes without an EPCIS meaning', () => {
    expect(problemTypeOfCode('NOT_READY')).toBe('https://traceroot.dev/problems/not-ready');
    expect(DEFAULT_EPCIS_EXCEPTION_BY_CODE.NOT_FOUND).toBeNull();
    expect(toProblem(new DomainError('NOT_FOUND', 'x'), AT).type).toBe(
      'https://traceroot.dev/problems/not-found',
    );
  });

  it('lets the thrower name an EPCIS exception or none', () => {
    expect(
      toProblem(new DomainError('NOT_FOUND', 'x', { epcisException: 'NoSuchNameException' }), AT),
    ).toMatchObject({
      type: 'epcisException:NoSuchNameException',
      title: 'No such name',
      status: 404,
    });
    expect(
      toProblem(new DomainError('DUPLICATE_EVENT', 'x', { epcisException: null }), AT),
    ).toMatchObject({
      type: 'https://traceroot.dev/problems/duplicate-event',
      title: 'Duplicate event',
    });
  });

  it('renders field errors as pointer + detail', () => {
    const error = new DomainError('VALIDATION_FAILED', 'bad', {
      errors: [{ pointer: '/eventList/0/action', message: 'must be ADD, OBSERVE or DELETE' }],
    });
    expect(toProblem(error, AT).errors).toEqual([
      { pointer: '/eventList/0/action', detail: 'must be ADD, OBSERVE or DELETE' },
    ]);
  });

  it('omits requestId when the request has none', () => {
    expect(
      toProblem(new DomainError('NOT_FOUND', 'x'), { instance: '/', requestId: undefined }),
    ).not.toHaveProperty('requestId');
  });

  it('maps an HttpException whose status names one code to that code', () => {
    expect(toProblem(new NotFoundException('Cannot GET /x'), AT)).toMatchObject({
      status: 404,
      code: 'NOT_FOUND',
      detail: 'Cannot GET /x',
    });
  });

  it('keeps any other HttpException as about:blank with its reason phrase', () => {
    expect(toProblem(new ConflictException('taken'), AT)).toEqual({
      type: 'about:blank',
      title: 'Conflict',
      status: 409,
      detail: 'taken',
      instance: '/capture',
      requestId: 'r-1',
      errors: [],
    });
    expect(toProblem(new HttpException({ unexpected: true }, 429), AT)).toMatchObject({
      title: 'Too Many Requests',
      status: 429,
    });
  });

  it("renders NOT_IMPLEMENTED as the binding's 501 ImplementationException, with the fields", () => {
    const error = new DomainError('NOT_IMPLEMENTED', '/type is an extension event type', {
      errors: [{ pointer: '/type', message: '/type is an extension event type' }],
    });
    expect(toProblem(error, AT)).toEqual({
      type: 'epcisException:ImplementationException',
      title: 'Functionality not supported by server',
      status: 501,
      detail: '/type is an extension event type',
      instance: '/capture',
      code: 'NOT_IMPLEMENTED',
      requestId: 'r-1',
      errors: [{ pointer: '/type', detail: '/type is an extension event type' }],
    });
    expect(toProblem(new NotImplementedException('no XML'), AT)).toMatchObject({
      type: 'epcisException:ImplementationException',
      status: 501,
      code: 'NOT_IMPLEMENTED',
      detail: 'no XML',
    });
  });

  it.each([
    ['an Error', new Error('password=hunter2')],
    ['an InternalServerErrorException', new InternalServerErrorException('password=hunter2')],
    ['a string', 'password=hunter2'],
    ['undefined', undefined],
  ])('renders %s as a generic 500', (_, thrown) => {
    const problem = toProblem(thrown, AT);
    expect(problem).toEqual({
      type: 'epcisException:ImplementationException',
      title: 'A server-side error occurred',
      status: 500,
      detail: INTERNAL_ERROR_DETAIL,
      instance: '/capture',
      code: 'INTERNAL_ERROR',
      requestId: 'r-1',
      errors: [],
    });
  });
});
