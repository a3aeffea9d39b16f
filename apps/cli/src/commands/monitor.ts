// `traceroot monitor URL`: watch a log for a split view (issue 3 §5). Each check fetches the
// newest checkpoint, verifies its signature against the pinned key, and proves that the tree it
// signs extends the last one this monitor verified (consistency proof, and the checkpoint chain
// when it can be walked). The last verified checkpoint is kept in a state file; a split view is
// reported loudly, exits 1, and leaves the state where it was.
import { setTimeout as sleep } from 'node:timers/promises';

import {
  base64ToBytes,
  bytesEqual,
  bytesToBase64,
  type Checkpoint,
  checkpointBodyHash,
  isTraceError,
  type NoteVerifier,
  openCheckpoint,
  previousCheckpointHash,
  verifyCheckpointChain,
  verifyConsistency,
} from '@traceroot/trace';
import { nodeRfc6962, nodeSha256 } from '@traceroot/trace/node';

import { CliError, EXIT, type ExitCode } from '../cli-error.js';
import type { CliIo } from '../io.js';
import { type CommandArgs, requireOne } from './args.js';
import { trustedKeysOf } from './audit.js';
import {
  HttpStatusError,
  type LogClient,
  logClient,
  LogUnavailableError,
  PAGE_SIZE,
} from './audit-http.js';
import { defaultStatePath, type MonitorState, readState, writeState } from './monitor-state.js';

type Monitor = {
  client: LogClient;
  url: string;
  keys: readonly NoteVerifier[];
  origin: string;
  statePath: string;
};

/** A checkpoint opened with the pinned keys: the parsed body, its text, and the note as served. */
type Seen = { checkpoint: Checkpoint; text: string; note: string };

/** What comparing the newest checkpoint with the last verified one found. */
type Finding = { split: string } | { ok: string; advance: boolean };

const MAX_INTERVAL_SECONDS = 7 * 24 * 3600;

export const monitorCommand = async (args: CommandArgs, io: CliIo): Promise<ExitCode> => {
  const url = requireOne(args, 'URL');
  const client = logClient(url);
  const keys = trustedKeysOf(args, 'monitor');
  const origin = typeof args.flags.origin === 'string' ? args.flags.origin : keys[0]!.name;
  const statePath =
    typeof args.flags.state === 'string' ? args.flags.state : defaultStatePath(origin);
  const interval = typeof args.flags.interval === 'string' ? args.flags.interval : undefined;
  if (interval !== undefined && args.flags.once === true) {
    throw new CliError('USAGE', '--once and --interval exclude each other');
  }
  const seconds = interval === undefined ? null : Number(interval);
  if (seconds !== null && !(seconds > 0 && seconds <= MAX_INTERVAL_SECONDS)) {
    throw new CliError('USAGE', `--interval must be a number of seconds > 0, not "${interval}"`);
  }
  const monitor: Monitor = { client, url, keys, origin, statePath };
  if (seconds === null) return check(monitor, io);
  for (;;) {
    try {
      const code = await check(monitor, io);
      if (code !== EXIT.OK) return code;
    } catch (error) {
      // The log being unreachable for a while is no finding: report it and try again.
      if (!(error instanceof LogUnavailableError)) throw error;
      io.err(`traceroot: ${error.message} (next try in ${seconds} s)`);
    }
    await sleep(seconds * 1000);
  }
};

/** One check of the newest checkpoint against the state; prints the outcome. */
const check = async (m: Monitor, io: CliIo): Promise<ExitCode> => {
  const note = await m.client.getText(['log', 'checkpoint']);
  let now: Seen;
  try {
    now = { ...openCheckpoint(note, m.keys, { origin: m.origin, sha: nodeSha256 }), note };
  } catch (error) {
    if (!isTraceError(error)) throw error;
    io.err(
      `traceroot: the newest checkpoint of ${m.url} does NOT verify against --key: ${error.code}: ${error.message}\n` +
        `--- served ---\n${note.trimEnd()}`,
    );
    return EXIT.INVALID;
  }
  const state = await readState(m.statePath);
  const { treeSize, rootHash } = now.checkpoint;
  const head = `${m.origin}: checkpoint of tree size ${treeSize} verified`;
  if (state === null) {
    await writeState(m.statePath, stateOf(m, now), io);
    io.out(`${head} (root ${bytesToBase64(rootHash)}): trusted on first use`);
    io.err(
      `traceroot: first run for this log: there is no earlier checkpoint to compare with, so this one is trusted on first use and kept in ${m.statePath}. Later runs check that the log only grows from it.`,
    );
    return EXIT.OK;
  }
  const before = reopen(state, m);
  const finding = await compare(before, now, m, io);
  if ('split' in finding) {
    reportSplitView(m, finding.split, before, now, io);
    return EXIT.INVALID;
  }
  if (finding.advance) await writeState(m.statePath, stateOf(m, now), io);
  io.out(`${head}: ${finding.ok}`);
  return EXIT.OK;
};

const stateOf = (m: Monitor, seen: Seen): MonitorState => ({
  version: 1,
  origin: m.origin,
  treeSize: seen.checkpoint.treeSize,
  rootHash: bytesToBase64(seen.checkpoint.rootHash),
  checkpoint: seen.note,
  url: m.url,
  verifiedAt: new Date().toISOString(),
});

/** The state's checkpoint, verified again: the file is only as trustworthy as its signature. */
const reopen = (state: MonitorState, m: Monitor): Seen => {
  try {
    return {
      ...openCheckpoint(state.checkpoint, m.keys, { origin: m.origin, sha: nodeSha256 }),
      note: state.checkpoint,
    };
  } catch (error) {
    if (!isTraceError(error)) throw error;
    throw new CliError(
      'INVALID',
      `the monitor state ${m.statePath} holds a checkpoint that does not verify against --key (${error.code}: ${error.message}); if the log's key or origin changed, delete the state to trust on first use again`,
    );
  }
};

const compare = async (before: Seen, now: Seen, m: Monitor, io: CliIo): Promise<Finding> => {
  const b = before.checkpoint;
  const n = now.checkpoint;
  if (n.treeSize < b.treeSize) {
    return {
      split: `the newest checkpoint signs a SMALLER tree (${n.treeSize} leaves) than the one verified before (${b.treeSize} leaves)`,
    };
  }
  if (n.treeSize === b.treeSize) {
    if (!bytesEqual(n.rootHash, b.rootHash)) {
      return { split: `two DIFFERENT root hashes are signed for tree size ${n.treeSize}` };
    }
    if (now.text !== before.text) {
      return {
        split: `two different checkpoints are signed for tree size ${n.treeSize} (same root, different extension lines)`,
      };
    }
    return { ok: 'unchanged since the last check', advance: false };
  }
  if (b.treeSize > 0) {
    const problem = await checkConsistency(b, n, m);
    if (problem !== null) return { split: problem };
  }
  const chain = await checkChain(before, now, m);
  if ('split' in chain) return chain;
  if (chain.warning) io.err(`traceroot: ${chain.warning}`);
  return {
    ok: `consistent with tree size ${b.treeSize} (consistency proof checked; ${chain.ok})`,
    advance: true,
  };
};

/** Why the tree of `n` does not extend the tree of `b` (RFC 9162 §2.1.4), or null. */
const checkConsistency = async (
  b: Checkpoint,
  n: Checkpoint,
  m: Monitor,
): Promise<string | null> => {
  let body: unknown;
  try {
    body = await m.client.getJson(['log', 'proof', 'consistency'], {
      from: b.treeSize,
      to: n.treeSize,
    });
  } catch (error) {
    // The log denies knowing a tree size it signed: it cannot show the two views are one.
    if (error instanceof HttpStatusError && error.status === 404) {
      return `the log refuses a consistency proof from the checkpoint verified before: ${error.message}`;
    }
    throw error;
  }
  const path = (body as { path?: unknown } | null)?.path;
  try {
    if (!Array.isArray(path) || !path.every((hash) => typeof hash === 'string')) {
      return `the log's consistency proof from ${b.treeSize} to ${n.treeSize} is not a list of hashes`;
    }
    verifyConsistency(
      { size1: b.treeSize, size2: n.treeSize, path: path.map(base64ToBytes) },
      b.rootHash,
      n.rootHash,
      nodeRfc6962,
    );
    return null;
  } catch (error) {
    if (!isTraceError(error)) throw error;
    return `the consistency proof from tree size ${b.treeSize} to ${n.treeSize} FAILS: ${error.code}: ${error.message}`;
  }
};

type ChainFinding = { split: string } | { ok: string; warning?: string };

/**
 * The checkpoint chain from `before` to `now`: one link when `now` names `before`; otherwise the
 * checkpoints in between, from GET /log/checkpoints, each verified and linked, when they fit in
 * one page. The consistency proof is what proves the tree; the chain shows that the log's
 * signed statements form one sequence.
 */
const checkChain = async (before: Seen, now: Seen, m: Monitor): Promise<ChainFinding> => {
  const named = previousCheckpointHash(now.checkpoint);
  if (named !== null && bytesEqual(named, checkpointBodyHash(before.text, nodeSha256))) {
    const problem = link(before.checkpoint, now.checkpoint);
    return problem === null
      ? { ok: 'it names the checkpoint verified before' }
      : { split: problem };
  }
  let body: unknown;
  try {
    body = await m.client.getJson(['log', 'checkpoints'], {
      start: before.checkpoint.treeSize,
      limit: PAGE_SIZE,
    });
  } catch (error) {
    if (error instanceof HttpStatusError && error.status === 404) {
      return {
        ok: 'chain not walked',
        warning: 'the log serves no checkpoint list: the chain was not walked',
      };
    }
    throw error;
  }
  const page = body as { checkpoints?: unknown; next?: unknown } | null;
  const items = Array.isArray(page?.checkpoints) ? (page.checkpoints as { note?: unknown }[]) : [];
  let previous: Seen = before;
  let links = 0;
  for (const [i, item] of items.entries()) {
    let seen: Seen;
    try {
      const note = String(item?.note);
      seen = { ...openCheckpoint(note, m.keys, { origin: m.origin, sha: nodeSha256 }), note };
    } catch (error) {
      if (!isTraceError(error)) throw error;
      return {
        split: `the log's checkpoint list holds a checkpoint that does not verify (${error.code}: ${error.message})`,
      };
    }
    if (i === 0) {
      if (seen.text !== before.text) {
        return {
          split: `the log's checkpoint list no longer holds the checkpoint of tree size ${before.checkpoint.treeSize} verified before`,
        };
      }
      continue;
    }
    const problem = link(previous.checkpoint, seen.checkpoint);
    if (problem !== null) return { split: problem };
    links += 1;
    previous = seen;
    const { treeSize } = now.checkpoint;
    if (seen.checkpoint.treeSize > treeSize) {
      return {
        split: `the log's checkpoint list skips the newest checkpoint it serves (tree size ${treeSize})`,
      };
    }
    if (seen.checkpoint.treeSize === treeSize) {
      if (seen.text !== now.text) {
        return {
          split: `the log's checkpoint list holds another checkpoint of tree size ${treeSize} than the newest one it serves`,
        };
      }
      return { ok: `chain of ${links} checkpoints walked` };
    }
  }
  const why =
    items.length === 0
      ? 'the checkpoint list is empty'
      : `more than ${PAGE_SIZE} checkpoints lie between`;
  return {
    ok: 'chain not walked',
    warning: `${why}: the chain was not walked (the consistency proof covers the tree)`,
  };
};

/** Why `next` does not directly follow `previous` in the chain, or null. */
const link = (previous: Checkpoint, next: Checkpoint): string | null => {
  try {
    verifyCheckpointChain(previous, next, nodeSha256);
    return null;
  } catch (error) {
    if (!isTraceError(error)) throw error;
    return `the checkpoint chain is BROKEN: ${error.code}: ${error.message}`;
  }
};

const reportSplitView = (m: Monitor, reason: string, before: Seen, now: Seen, io: CliIo): void => {
  const bar = '!'.repeat(78);
  io.err(
    [
      bar,
      `!!! SPLIT VIEW: the log ${m.origin} at ${m.url}`,
      `!!! contradicts the checkpoint this monitor verified before.`,
      `!!! ${reason}`,
      '!!! A log that shows different histories to different viewers is misbehaving. Keep both',
      '!!! signed checkpoints below as evidence. The monitor state was NOT advanced.',
      bar,
      `--- verified before (kept in ${m.statePath}) ---`,
      before.note.trimEnd(),
      '--- served now ---',
      now.note.trimEnd(),
      bar,
    ].join('\n'),
  );
};
