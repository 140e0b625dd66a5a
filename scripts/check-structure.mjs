#!/usr/bin/env node
// Structure checks run by `npm run lint`: no import cycle among the modules
// of src/ (type-only imports included: they still couple the modules); no
// file under src/, native/src/, test/, bench/ or harness/ over 300 lines;
// bench/ imports nothing from test/ (shared helpers live in harness/); and
// the tests that `npm run test:unit` runs (test/unit, test/ui) need neither
// EAL nor root, so they import nothing that starts processes.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const MAX_LINES = 300;

function files(dir, exts) {
  const out = [];
  for (const e of fs.readdirSync(path.join(root, dir), { withFileTypes: true })) {
    const rel = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...files(rel, exts));
    else if (exts.some((x) => e.name.endsWith(x))) out.push(rel);
  }
  return out;
}

const problems = [];
const TS = ['.ts', '.tsx'];
const checked = [...files('src', TS), ...files('native/src', ['.cc', '.h']), ...files('test', TS), ...files('bench', TS), ...files('harness', TS)];
for (const f of checked) {
  const lines = fs.readFileSync(path.join(root, f), 'utf8').split('\n').length - 1;
  if (lines > MAX_LINES) problems.push(`${f}: ${lines} lines, over ${MAX_LINES}: split it`);
}

const importsOf = (f) =>
  [...fs.readFileSync(path.join(root, f), 'utf8').matchAll(/^\s*(?:import|export)\s[^;]*?from\s+'(\.[^']+)'/gm)].map((m) => path.join(path.dirname(f), m[1]));
for (const f of files('bench', TS)) {
  for (const dep of importsOf(f)) if (dep.startsWith(`test${path.sep}`)) problems.push(`${f} imports ${dep}: move what bench and test share into harness/`);
}
for (const f of [...files('test/unit', TS), ...files('test/ui', TS)]) {
  for (const dep of importsOf(f))
    if (/^harness[/\\](proc|tap|stock|tmux)\b/.test(dep))
      problems.push(`${f} imports ${dep}: test:unit runs it, so it may not start processes (move it to test/integration or test/tty)`);
}

// Relative imports of every module under src/, resolved to their .ts/.tsx source.
const graph = new Map();
for (const f of files('src', ['.ts', '.tsx'])) {
  const text = fs.readFileSync(path.join(root, f), 'utf8');
  const deps = [];
  for (const m of text.matchAll(/^\s*(?:import|export)\s[^;]*?from\s+'(\.[^']+)'/gm)) {
    const base = path.join(path.dirname(f), m[1]).replace(/\.js$/, '');
    const hit = ['.ts', '.tsx'].map((x) => base + x).find((c) => fs.existsSync(path.join(root, c)));
    if (hit) deps.push(hit);
  }
  graph.set(f, deps);
}
const state = new Map(); // 1: on the stack, 2: done
const stack = [];
function visit(f) {
  state.set(f, 1);
  stack.push(f);
  for (const d of graph.get(f) ?? []) {
    if (state.get(d) === 1) problems.push(`import cycle: ${[...stack.slice(stack.indexOf(d)), d].join(' -> ')}`);
    else if (!state.has(d)) visit(d);
  }
  stack.pop();
  state.set(f, 2);
}
for (const f of graph.keys()) if (!state.has(f)) visit(f);

for (const p of problems) process.stderr.write(`check-structure: ${p}\n`);
if (problems.length > 0) process.exit(1);
process.stdout.write(`check-structure: ${graph.size} modules, no import cycle, no file over ${MAX_LINES} lines\n`);
