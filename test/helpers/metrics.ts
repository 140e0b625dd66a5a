/** Reading a `/metrics` endpoint the way a test checks it: a free port, a scrape, one series' value. */
import assert from 'node:assert/strict';
import net from 'node:net';

/** A port nobody listens on right now. */
export async function freePort(): Promise<number> {
  const s = net.createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as net.AddressInfo).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

export async function scrape(port: number): Promise<string> {
  const res = await fetch(`http://127.0.0.1:${port}/metrics`);
  assert.equal(res.status, 200);
  return res.text();
}

/** Value of one series in an exposition text, by its exact label set. */
export function value(text: string, name: string, labels: Record<string, string>): number | undefined {
  const want = Object.entries(labels).map(([k, v]) => `${k}="${v}"`);
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`)) continue;
    const inner = line.slice(name.length + 1, line.indexOf('}'));
    const have = inner.split(',').filter((kv) => !kv.endsWith('=""'));
    if (have.length === want.length && want.every((w) => have.includes(w))) return Number(line.slice(line.indexOf('}') + 2));
  }
  return undefined;
}
