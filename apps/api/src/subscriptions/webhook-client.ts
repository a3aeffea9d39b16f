// One callback: POST a body to a subscription's destination and report what happened, without
// ever throwing (a failure is an outcome to record and retry, not an exception). node:http(s)
// rather than fetch, for two reasons: the connection's address lookup is ours (every resolved
// address is vetted, then the connection uses exactly that address: no DNS rebinding), and a
// redirect is never followed (a 3xx is a failed attempt).
import type { LookupAddress } from 'node:dns';
import { lookup } from 'node:dns';
import { type ClientRequest, request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { LookupFunction } from 'node:net';
import { isIP } from 'node:net';

import { isNonPublicAddress } from './destination.js';

/** What one attempt came to: an HTTP status, or none and why. */
export type CallbackOutcome = {
  /** The receiver's status; null when it gave none (refused, reset, timed out, refused address). */
  status: number | null;
  /** Whether it acknowledged: a 2xx status. */
  acknowledged: boolean;
  /** Why it failed (never a body or a secret); null on success. */
  error: string | null;
  durationMs: number;
};

export type CallbackRequest = {
  url: URL;
  body: Uint8Array;
  headers: Readonly<Record<string, string>>;
  timeoutMs: number;
  allowPrivate: boolean;
  /** Aborts the attempt (the service is shutting down). */
  signal?: AbortSignal;
};

/** Bytes of a receiver's answer read at most (and then dropped): only the status counts. */
const MAX_ANSWER_BYTES = 64 * 1024;

/** A lookup that refuses non-public addresses unless allowed. */
const vettedLookup =
  (allowPrivate: boolean): LookupFunction =>
  (hostname, options, callback) => {
    lookup(hostname, { ...options, all: true }, (error, addresses: LookupAddress[]) => {
      if (error) return callback(error, '', 0);
      const usable = allowPrivate
        ? addresses
        : addresses.filter((entry) => !isNonPublicAddress(entry.address));
      const first = usable[0];
      if (first === undefined) {
        const refused = new Error(
          `${hostname} resolves only to loopback, private or otherwise non-public addresses`,
        );
        return callback(Object.assign(refused, { code: 'EDESTINATION' }), '', 0);
      }
      if (options.all) return (callback as (e: null, a: LookupAddress[]) => void)(null, usable);
      return callback(null, first.address, first.family);
    });
  };

const describeError = (error: unknown, timeoutMs: number, timedOut: boolean): string => {
  if (timedOut) return `timed out after ${timeoutMs} ms`;
  const code = (error as { code?: unknown }).code;
  const message = error instanceof Error ? error.message : String(error);
  return typeof code === 'string' && !message.includes(code) ? `${code}: ${message}` : message;
};

/**
 * POSTs `body` to `url` and resolves with the outcome once the receiver answered (its status;
 * 2xx acknowledges), failed, or `timeoutMs` passed since the start (connecting and answering
 * included). Never rejects.
 */
export const postCallback = (callback: CallbackRequest): Promise<CallbackOutcome> => {
  const started = performance.now();
  const elapsed = (): number => Math.max(0, Math.round(performance.now() - started));
  const { url } = callback;
  return new Promise<CallbackOutcome>((resolve) => {
    let settled = false;
    let timedOut = false;
    // Set once the request exists; the handlers below may run before (an early refusal).
    const pending: { timer?: NodeJS.Timeout; req?: ClientRequest } = {};
    const onAbort = (): void => {
      pending.req?.destroy(new Error('aborted: the service is shutting down'));
    };
    const finish = (status: number | null, error: string | null): void => {
      if (settled) return;
      settled = true;
      clearTimeout(pending.timer);
      callback.signal?.removeEventListener('abort', onAbort);
      const acknowledged = status !== null && status >= 200 && status <= 299;
      resolve({
        status,
        acknowledged,
        error: acknowledged ? null : (error ?? `HTTP ${status}`),
        durationMs: elapsed(),
      });
    };
    const host = url.hostname.replace(/^\[|\]$/g, '');
    if (!callback.allowPrivate && isIP(host) !== 0 && isNonPublicAddress(host)) {
      // Checked at subscription too; again here, in case the setting changed since.
      finish(null, `${host} is a loopback, private or otherwise non-public address`);
      return;
    }
    const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
    const req = send(url, {
      method: 'POST',
      headers: { ...callback.headers, 'content-length': String(callback.body.byteLength) },
      lookup: vettedLookup(callback.allowPrivate),
      agent: false, // one connection per callback: nothing pooled to a receiver between attempts
    });
    pending.req = req;
    pending.timer = setTimeout(() => {
      timedOut = true;
      req.destroy(new Error('timeout'));
    }, callback.timeoutMs);
    callback.signal?.addEventListener('abort', onAbort, { once: true });
    if (callback.signal?.aborted === true) onAbort();
    req.on('error', (error) => finish(null, describeError(error, callback.timeoutMs, timedOut)));
    req.on('response', (res) => {
      const status = res.statusCode ?? null;
      let read = 0;
      res.on('data', (chunk: Buffer) => {
        read += chunk.length;
        if (read > MAX_ANSWER_BYTES) res.destroy();
      });
      // The status is the answer; the body is read (so the connection ends cleanly) and dropped.
      res.on('end', () => finish(status, null));
      res.on('close', () => finish(status, null));
      res.on('error', () => finish(status, null));
    });
    req.end(callback.body);
  });
};
