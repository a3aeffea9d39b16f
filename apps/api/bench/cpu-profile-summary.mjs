#!/usr/bin/env node
// `node apps/api/bench/cpu-profile-summary.mjs FILE.cpuprofile [TOP]`: where a V8 CPU profile
// (node --cpu-prof, e.g. from BENCH_CPU_PROF=dir npm run bench:ingest) spends its time.
// Prints self time by package or source area, and self and inclusive (self + callees) time of
// the top functions. "Inclusive" counts a sample once per function however deep the recursion.
import { readFileSync } from 'node:fs';

const [file, topArg] = process.argv.slice(2);
if (!file) {
  console.error('usage: cpu-profile-summary.mjs FILE.cpuprofile [TOP]');
  process.exit(2);
}
const TOP = Number(topArg ?? 30);
const profile = JSON.parse(readFileSync(file, 'utf8'));
const byId = new Map(profile.nodes.map((node) => [node.id, node]));
const parent = new Map();
for (const node of profile.nodes) {
  for (const child of node.children ?? []) parent.set(child, node.id);
}

// Time per sample: timeDeltas[i] is the time before sample i.
const selfTime = new Map();
profile.samples.forEach((id, i) =>
  selfTime.set(id, (selfTime.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)),
);
const total = [...selfTime.values()].reduce((a, b) => a + b, 0);

const area = (url) => {
  if (!url) return '(native / V8)';
  const modules = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (modules) return modules[1];
  const trace = /libs\/trace\/dist\/([^/]+)/.exec(url);
  if (trace) return `libs/trace: ${trace[1].replace(/\.js$/, '')}`;
  const api = /apps\/api\/dist\/(.+?)\/[^/]+$/.exec(url);
  if (api) return `apps/api: ${api[1]}`;
  if (url.startsWith('node:')) return `node: ${url.slice(5).split('/')[0]}`;
  return url.replace(/^file:\/\/\/work\/main\//, '');
};
const fnKey = (node) => {
  const { functionName, url, lineNumber } = node.callFrame;
  const where = url
    ? `${url.replace(/^file:\/\/\/work\/main\//, '').replace(/.*node_modules\//, '')}:${lineNumber + 1}`
    : '';
  return `${functionName || '(anonymous)'} ${where}`.trim();
};

const selfByArea = new Map();
const selfByFn = new Map();
const inclusiveByFn = new Map();
for (const [id, time] of selfTime) {
  const node = byId.get(id);
  const a =
    node.callFrame.functionName === '(garbage collector)'
      ? '(garbage collector)'
      : node.callFrame.functionName === '(idle)'
        ? '(idle)'
        : node.callFrame.functionName === '(program)'
          ? '(program)'
          : area(node.callFrame.url);
  selfByArea.set(a, (selfByArea.get(a) ?? 0) + time);
  selfByFn.set(fnKey(node), (selfByFn.get(fnKey(node)) ?? 0) + time);
  const seen = new Set();
  for (let at = id; at !== undefined; at = parent.get(at)) {
    const key = fnKey(byId.get(at));
    if (seen.has(key)) continue;
    seen.add(key);
    inclusiveByFn.set(key, (inclusiveByFn.get(key) ?? 0) + time);
  }
}
const idle = selfByArea.get('(idle)') ?? 0;
const busy = total - idle;
const pct = (t) => `${((100 * t) / busy).toFixed(1).padStart(5)} %`;
const show = (title, map, n) => {
  console.log(`\n${title}`);
  for (const [key, time] of [...map]
    .filter(([k]) => k !== '(idle)' && !k.startsWith('(idle)') && !k.startsWith('(root)'))
    .sort((a, b) => b[1] - a[1])
    .slice(0, n)) {
    console.log(`${pct(time)}  ${(time / 1000).toFixed(0).padStart(7)} ms  ${key}`);
  }
};
console.log(
  `${file}: ${(total / 1e6).toFixed(1)} s sampled, ${(busy / 1e6).toFixed(1)} s busy (percentages are of busy time)`,
);
show('self time by area', selfByArea, TOP);
show('self time by function', selfByFn, TOP);
show('inclusive time by function', inclusiveByFn, TOP);
