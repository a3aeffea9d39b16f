import { expect } from '@jest/globals';

import { type TraceError, type TraceErrorCode, isTraceError } from '../../src/errors.js';

/**
 * Runs `run`: the `TraceError` it throws, or `undefined` when it returns. Anything else it throws
 * (a `TypeError`, a failed `expect` inside `run`) is re-thrown unchanged, so the test fails with
 * the original error and stack.
 */
const runForTraceError = (run: () => unknown): TraceError | undefined => {
  try {
    run();
  } catch (error) {
    if (isTraceError(error)) return error;
    throw error;
  }
  return undefined;
};

/** The `TraceError` that `run` throws; fails the test when `run` returns or throws anything else. */
export const catchTraceError = (run: () => unknown): TraceError => {
  const error = runForTraceError(run);
  if (error === undefined) throw new Error('expected a TraceError, but nothing was thrown');
  return error;
};

/**
 * The code of the `TraceError` that `run` throws, or `'ok'` when it returns; fails the test when
 * `run` throws anything else. For `expect(codeOf(run)).toBe(code)` and for properties that allow
 * several outcomes.
 */
export const codeOf = (run: () => unknown): TraceErrorCode | 'ok' =>
  runForTraceError(run)?.code ?? 'ok';

/**
 * Expects `run` to throw a `TraceError` with `code` whose message contains (string) or matches
 * (RegExp) `partOfMessage`; returns the error for further checks.
 */
export const expectTraceError = (
  run: () => unknown,
  code: TraceErrorCode,
  partOfMessage?: string | RegExp,
): TraceError => {
  const error = catchTraceError(run);
  // One assertion on both, so a wrong code is reported together with the message that came with it.
  expect({ code: error.code, message: error.message }).toEqual({
    code,
    message:
      partOfMessage === undefined
        ? error.message
        : typeof partOfMessage === 'string'
          ? expect.stringContaining(partOfMessage)
          : expect.stringMatching(partOfMessage),
  });
  return error;
};
