// A real webhook receiver on loopback (node:http) for the subscription tests: it keeps every
// callback it gets (headers and the exact body bytes) and answers as the test tells it: 200, any
// status, or by closing the connection without an answer.
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** What the receiver does with one callback. */
export type ReceiverAnswer = number | 'close';

export type ReceivedCallback = {
  /** 1, 2, 3 … in arrival order. */
  n: number;
  path: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
  answer: ReceiverAnswer;
};

export type WebhookReceiver = {
  /** e.g. http://127.0.0.1:41234/hook/a */
  url: (path?: string) => string;
  received: ReceivedCallback[];
  /** Decides the answer to the n-th callback on `path` (default: 200). */
  answer: (decide: (n: number, path: string) => ReceiverAnswer) => void;
  /** Holds every answer this long after the body arrived (default 0). */
  delay: (ms: number) => void;
  /** The most callbacks on `path` that were ever under way at the same time. */
  maxConcurrent: (path: string) => number;
  close: () => Promise<void>;
};

export const startWebhookReceiver = async (): Promise<WebhookReceiver> => {
  const received: ReceivedCallback[] = [];
  const countByPath = new Map<string, number>();
  let decide: (n: number, path: string) => ReceiverAnswer = () => 200;
  let delayMs = 0;
  const open = new Map<string, number>();
  const maxOpen = new Map<string, number>();
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    const path = req.url ?? '/';
    open.set(path, (open.get(path) ?? 0) + 1);
    maxOpen.set(path, Math.max(maxOpen.get(path) ?? 0, open.get(path) ?? 0));
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const n = (countByPath.get(path) ?? 0) + 1;
      countByPath.set(path, n);
      const answer = decide(n, path);
      received.push({ n, path, headers: req.headers, body: Buffer.concat(chunks), answer });
      setTimeout(() => {
        open.set(path, (open.get(path) ?? 1) - 1);
        if (answer === 'close') {
          req.socket.destroy();
          return;
        }
        res.writeHead(answer, { 'content-type': 'text/plain' }).end(String(answer));
      }, delayMs);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: (path = '/hook') => `http://127.0.0.1:${port}${path}`,
    received,
    answer: (next) => {
      decide = next;
    },
    delay: (ms) => {
      delayMs = ms;
    },
    maxConcurrent: (path) => maxOpen.get(path) ?? 0,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve, reject) =>
        server.close((error) => (error ? reject(error) : resolve())),
      );
    },
  };
};

/**
 * Polls `condition` until it holds, or fails after a generous deadline with `what` — a wait for
 * an asynchronous outcome, not an assertion about how long it takes.
 */
export const waitFor = async (
  what: string,
  condition: () => boolean | Promise<boolean>,
  deadlineMs = 60_000,
): Promise<void> => {
  const end = Date.now() + deadlineMs;
  while (!(await condition())) {
    if (Date.now() > end) throw new Error(`gave up waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
};
