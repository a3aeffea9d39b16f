// A stand-in for a Traceroot service's public log endpoints, for the audit and monitor tests:
// a log built with @traceroot/trace (commitEvent, MemoryTree, signCheckpoint) and served by
// node:http exactly as apps/api serves it (GET /log/checkpoint, /log/checkpoints,
// /log/leaves, /log/proof/consistency). Tests tamper with what it serves.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

import {
  bytesToBase64,
  checkpointBodyHash,
  type Checkpoint,
  commitEvent,
  computeEventHashId,
  formatPrevExtension,
  generateNoteKeys,
  MemoryTree,
  rfc6962,
  signCheckpoint,
} from '@traceroot/trace';

export const ORIGIN = 'audit.cli.traceroot.dev/log';

/** Deterministic bytes (a test stand-in for a CSPRNG). */
export const seeded = (seed: number) => {
  let n = seed;
  return (length: number) =>
    Uint8Array.from({ length }, () => (n = (n * 1103515245 + 12345) % 2 ** 31) >> 16);
};

export const KEYS = generateNoteKeys(ORIGIN, seeded(7)(32));
export const OTHER_KEYS = generateNoteKeys(ORIGIN, seeded(8)(32));

/** One leaf as GET /log/leaves serves it. */
export type LeafView = {
  leafIndex: number;
  leafHash: string;
  eventID: string | null;
  eventHashId: string | null;
  disclosures: string[];
  hiddenDigests: string[];
};

export type StoredCheckpoint = { treeSize: number; note: string; body: Checkpoint };

/** A log held in memory; `tag` makes its events differ from another log's (for forks). */
export class FakeLog {
  readonly leaves: LeafView[] = [];
  readonly checkpoints: StoredCheckpoint[] = [];
  readonly tree = new MemoryTree();
  private readonly random: (length: number) => Uint8Array;

  constructor(
    private readonly tag = 'a',
    seed = 1,
  ) {
    this.random = seeded(seed);
  }

  /** Captures `count` more events. */
  append(count: number): this {
    for (let k = 0; k < count; k++) {
      const i = this.leaves.length;
      const event = {
        type: 'ObjectEvent',
        eventTime: new Date(Date.UTC(2026, 5, 1, 9, 0, i)).toISOString(),
        eventTimeZoneOffset: '+00:00',
        epcList: [`urn:epc:id:sgtin:4012345.011111.${this.tag}${i}`],
        action: 'OBSERVE',
        bizStep: 'shipping',
      };
      const eventHashId = computeEventHashId(event);
      const eventID = `urn:uuid:00000000-0000-4000-8000-${String(i).padStart(12, '0')}`;
      const document = { ...event, eventID, recordTime: '2026-06-02T00:00:00.000Z' };
      const committed = commitEvent(document, eventHashId, this.random);
      const leafHash = rfc6962.hashLeaf(committed.leafData);
      this.tree.appendLeafHashes([leafHash]);
      this.leaves.push({
        leafIndex: i,
        leafHash: bytesToBase64(leafHash),
        eventID,
        eventHashId,
        disclosures: Object.values(committed.disclosures),
        hiddenDigests: [],
      });
    }
    return this;
  }

  /** Signs a checkpoint of the whole tree, chained to the last one; `change` alters its body. */
  seal(
    change: (body: Checkpoint) => Checkpoint = (body) => body,
    signerKey = KEYS.signerKey,
  ): string {
    const last = this.checkpoints.at(-1);
    const body = change({
      origin: ORIGIN,
      treeSize: this.tree.size,
      rootHash: this.tree.rootHash(),
      extensions: last ? [formatPrevExtension(checkpointBodyHash(last.body))] : [],
    });
    const note = signCheckpoint(body, signerKey);
    this.checkpoints.push({ treeSize: body.treeSize, note, body });
    return note;
  }

  /** A copy of this log (the same leaves and checkpoints) that can then diverge. */
  fork(tag: string, seed: number): FakeLog {
    const copy = new FakeLog(tag, seed);
    copy.leaves.push(
      ...this.leaves.map((leaf) => ({ ...leaf, disclosures: [...leaf.disclosures] })),
    );
    copy.checkpoints.push(...this.checkpoints);
    copy.tree.appendLeafHashes(this.tree.size === 0 ? [] : this.leafHashes());
    return copy;
  }

  private leafHashes(): Uint8Array[] {
    return this.leaves.map((leaf) => Uint8Array.from(Buffer.from(leaf.leafHash, 'base64')));
  }
}

type Reply = { status: number; body: string; type?: string };

export type FakeServer = {
  url: string;
  /** The log served; tests replace it (a fork, a rollback) or tamper with it. */
  log: FakeLog;
  /** What GET /log/checkpoint serves; default: the log's last checkpoint. */
  latest: (() => string) | null;
  /** Largest pages served (the real service allows 1000). */
  maxLeaves: number;
  maxCheckpoints: number;
  /** Replaces the answer to a path (e.g. a 404 for an older service, a 503). */
  override: Map<string, () => Reply>;
  /** Paths requested, in order. */
  requests: string[];
  close(): Promise<void>;
};

const json = (body: unknown, status = 200): Reply => ({ status, body: JSON.stringify(body) });
const problem = (status: number, detail: string): Reply => ({
  status,
  type: 'application/problem+json',
  body: JSON.stringify({ type: 'about:blank', title: 'x', status, detail }),
});

const route = (server: FakeServer, url: URL): Reply => {
  const { log } = server;
  const q = (name: string, fallback: number) =>
    url.searchParams.has(name) ? Number(url.searchParams.get(name)) : fallback;
  switch (url.pathname) {
    case '/log/checkpoint': {
      const note = server.latest ? server.latest() : log.checkpoints.at(-1)?.note;
      return note === undefined
        ? problem(404, 'the log has no checkpoint yet')
        : { status: 200, body: note, type: 'text/plain; charset=utf-8' };
    }
    case '/log/checkpoints': {
      const start = q('start', 0);
      const limit = Math.min(q('limit', 100), server.maxCheckpoints);
      const rows = log.checkpoints.filter((c) => c.treeSize >= start);
      return json({
        checkpoints: rows.slice(0, limit).map(({ treeSize, note }) => ({ treeSize, note })),
        next: rows[limit]?.treeSize ?? null,
      });
    }
    case '/log/leaves': {
      const start = q('start', 0);
      const end = Math.min(q('end', start + 1000), start + server.maxLeaves);
      const rows = log.leaves.filter((leaf) => leaf.leafIndex >= start);
      return json({
        leaves: rows.filter((leaf) => leaf.leafIndex < end),
        next: rows.find((leaf) => leaf.leafIndex >= end)?.leafIndex ?? null,
      });
    }
    case '/log/proof/consistency': {
      const [from, to] = [q('from', 0), q('to', 0)];
      const has = (size: number) => log.checkpoints.some((c) => c.treeSize === size);
      if (!has(from) || !has(to)) {
        return problem(404, `no checkpoint was signed at tree size ${has(from) ? to : from}`);
      }
      return json({ from, to, path: log.tree.consistencyProof(from, to).path.map(bytesToBase64) });
    }
    default:
      return problem(404, `no route ${url.pathname}`);
  }
};

export const startFakeServer = async (log: FakeLog): Promise<FakeServer> => {
  const server: Server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://fake');
    fake.requests.push(`${url.pathname}${url.search}`);
    const reply = fake.override.get(url.pathname)?.() ?? route(fake, url);
    response.writeHead(reply.status, { 'content-type': reply.type ?? 'application/json' });
    response.end(reply.body);
  });
  const fake: FakeServer = {
    url: '',
    log,
    latest: null,
    maxLeaves: 1000,
    maxCheckpoints: 1000,
    override: new Map(),
    requests: [],
    close: () => new Promise((resolve, reject) => server.close((e) => (e ? reject(e) : resolve()))),
  };
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  fake.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return fake;
};
