/**
 * Debian's dpdk-testpmd as the application mpsh attaches to: interactive,
 * one net_null port, lcores 0-1 (mpsh's own processes take ids from 30 up),
 * no PCI probing (the machine's own NIC is not ours).
 */
import { stock, type Proc } from './proc.js';

export async function testpmd(prefix: string, name = 'testpmd'): Promise<Proc> {
  const t = stock(name, 'dpdk-testpmd', ['--file-prefix', prefix, '--vdev', 'net_null0', '-l', '0,1', '--no-pci', '--', '-i']);
  await t.waitFor(/testpmd> /, 30_000);
  return t;
}

/** `quit` at testpmd's prompt; the milliseconds until it has exited. */
export async function quitTestpmd(t: Proc): Promise<number> {
  const t0 = Date.now();
  t.write('quit');
  const exit = await t.waitExit(20_000);
  if (exit.code !== 0) throw new Error(`testpmd exited with ${JSON.stringify(exit)}:\n${t.err}`);
  return Date.now() - t0;
}

/** `GET /metrics`: status and body, or the connection error's code. */
export async function scrape(port: number): Promise<{ status: number; body: string }> {
  try {
    const r = await fetch(`http://127.0.0.1:${port}/metrics`);
    return { status: r.status, body: await r.text() };
  } catch (err) {
    return { status: 0, body: String((err as { cause?: { code?: string } }).cause?.code ?? err) };
  }
}
