#!/usr/bin/env node
// Structure checks run by `npm run lint`: no import cycle among the modules
// of src/ (type-only imports included: they still couple the modules), and
// no file under src/ or native/src/ over 300 lines.
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
for (const f of [...files('src', ['.ts', '.tsx']), ...files('native/src', ['.cc', '.h'])]) {
  const lines = fs.readFileSync(path.join(root, f), 'utf8').split('\n').length - 1;
  if (lines > MAX_LINES) problems.push(`${f}: ${lines} lines, over ${MAX_LINES}: split it`);
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
