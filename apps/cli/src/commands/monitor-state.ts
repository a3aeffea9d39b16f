// The monitor's memory: the last checkpoint it verified, one JSON file per log origin, replaced
// atomically (temporary file, fsync, rename) so a crash leaves the old state or the new one.
import { createHash } from 'node:crypto';
import { mkdir, open, readFile, rename, rm } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';

import { bytesToHex } from '@traceroot/trace';

import { CliError } from '../cli-error.js';
import type { CliIo } from '../io.js';

export type MonitorState = {
  version: 1;
  origin: string;
  treeSize: number;
  /** base64 root hash of `checkpoint`. */
  rootHash: string;
  /** The signed note, exactly as served (re-verified whenever the state is read). */
  checkpoint: string;
  /** Where it was fetched from, and when it was verified (information only). */
  url: string;
  verifiedAt: string;
};

/** `~/.traceroot/monitor-<first 16 hex digits of SHA-256(origin)>.json`: one file per log. */
export const defaultStatePath = (origin: string): string => {
  const hash = createHash('sha256').update(origin, 'utf8').digest('hex').slice(0, 16);
  return join(homedir(), '.traceroot', `monitor-${hash}.json`);
};

/** The stored state, or null when there is none yet (first run). */
export const readState = async (path: string): Promise<MonitorState | null> => {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new CliError('IO', `cannot read the monitor state ${path}: ${(error as Error).message}`);
  }
  let state: unknown;
  try {
    state = JSON.parse(text);
  } catch {
    state = null;
  }
  const s = state as Partial<MonitorState> | null;
  if (
    typeof s !== 'object' ||
    s === null ||
    s.version !== 1 ||
    typeof s.checkpoint !== 'string' ||
    typeof s.origin !== 'string'
  ) {
    // Never silently start over: that would trust whatever the log serves next.
    throw new CliError(
      'IO',
      `the monitor state ${path} is damaged (not a state file of this monitor): restore it, or delete it to trust the log's next checkpoint on first use again`,
    );
  }
  return s as MonitorState;
};

/** Replaces the state file atomically: a reader sees the old state or the new one, never half. */
export const writeState = async (path: string, state: MonitorState, io: CliIo): Promise<void> => {
  const temporary = `${path}.${process.pid}.${bytesToHex(io.randomBytes(6))}.tmp`;
  try {
    await mkdir(dirname(path), { recursive: true });
    const file = await open(temporary, 'wx', 0o644);
    try {
      await file.writeFile(`${JSON.stringify(state, null, 2)}\n`, 'utf8');
      await file.sync();
    } finally {
      await file.close();
    }
    await rename(temporary, path);
  } catch (error) {
    await rm(temporary, { force: true });
    throw new CliError('IO', `cannot write the monitor state ${path}: ${(error as Error).message}`);
  }
};
