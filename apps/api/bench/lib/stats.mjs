// Small statistics and formatting helpers for the benchmarks.
import { loadavg } from 'node:os';
import { readdirSync, readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';

/** The q-quantile (0..1) of numbers, nearest rank. */
export const quantile = (values, q) => {
  if (values.length === 0) return NaN;
  const sorted = Float64Array.from(values).sort();
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];
};

export const fmt = (n, digits = 0) =>
  Number.isFinite(n)
    ? n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits })
    : String(n);

export const ms = (n) =>
  n < 10 ? `${fmt(n, 2)} ms` : n < 100 ? `${fmt(n, 1)} ms` : `${fmt(n)} ms`;

export const load = () =>
  loadavg()
    .map((x) => x.toFixed(2))
    .join(' ');

export const progress = (message) =>
  process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${message}\n`);

/** CPU seconds (user + system) a process has used so far, from /proc (Linux). */
const ownCpuSeconds = (pid) => {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100; // utime, stime in clock ticks (USER_HZ = 100)
};

const childrenOf = (pid) => {
  try {
    return readdirSync(`/proc/${pid}/task`).flatMap((task) =>
      readFileSync(`/proc/${pid}/task/${task}/children`, 'utf8')
        .trim()
        .split(/\s+/)
        .filter(Boolean),
    );
  } catch {
    return [];
  }
};

/** CPU seconds used so far by a live process and its live descendants (API_WORKERS forks workers). */
export const processCpuSeconds = (pid) => {
  try {
    return (
      ownCpuSeconds(pid) +
      childrenOf(pid).reduce((sum, child) => sum + (processCpuSeconds(child) || 0), 0)
    );
  } catch {
    return NaN;
  }
};

/** Busy and total CPU time of the whole machine, from /proc/stat (jiffies). */
export const machineCpu = () => {
  const [, ...fields] = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/);
  const values = fields.map(Number);
  const idle = values[3] + values[4]; // idle + iowait
  const total = values.reduce((a, b) => a + b, 0);
  return { busy: total - idle, total };
};

/** Fraction of the machine's CPU in use between two machineCpu() readings, and cores busy. */
export const busyBetween = (a, b, cores) => {
  const share = (b.busy - a.busy) / Math.max(1, b.total - a.total);
  return { share, cores: share * cores };
};

/**
 * CPU seconds of every PostgreSQL process of the machine (server processes and backends of
 * every database, other users' included), per pid: take one reading before and one after and
 * pass both to postgresCoresBetween. A backend that exits in between is not counted.
 */
export const postgresCpu = () => {
  const byPid = new Map();
  for (const entry of readdirSafe('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const name = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      if (!name.startsWith('postgres')) continue;
      const fields = stat.slice(stat.lastIndexOf(') ') + 2).split(' ');
      byPid.set(entry, (Number(fields[11]) + Number(fields[12])) / 100); // utime + stime
    } catch {
      // the process ended meanwhile
    }
  }
  return { at: performance.now(), byPid };
};

/** Cores' worth of CPU the PostgreSQL processes used between two postgresCpu() readings. */
export const postgresCoresBetween = (before, after) => {
  let seconds = 0;
  for (const [pid, cpu] of after.byPid) seconds += cpu - (before.byPid.get(pid) ?? 0);
  return seconds / ((after.at - before.at) / 1000);
};

const readdirSafe = (dir) => {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
};
