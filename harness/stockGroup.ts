/**
 * A stock client_server_mp group for interop tests: mp_server on net_null0
 * and net_null1 (lcore 1 on CPU 0), and stock clients, each returned once it
 * says `Finished Process Init`.
 */
import { stock, type Proc } from './proc.js';
import { stockBinary } from './stock.js';

export async function stockServer(prefix: string, clients: number): Promise<Proc> {
  const srv = stock('stock server', stockBinary('client_server_mp/mp_server'), [
    '--lcores=1@0',
    '--no-pci',
    '--vdev=net_null0',
    '--vdev=net_null1',
    '--file-prefix',
    prefix,
    '--',
    '-p',
    '3',
    '-n',
    String(clients),
  ]);
  await srv.waitFor(/Finished Process Init/, 20_000, 'err');
  return srv;
}

/** Stock client `id` on lcore id+2 (CPU 1). */
export async function stockClient(prefix: string, id: number): Promise<Proc> {
  const c = stock(`stock client${id}`, stockBinary('client_server_mp/mp_client'), [
    `--lcores=${id + 2}@1`,
    '--proc-type=secondary',
    '--file-prefix',
    prefix,
    '--',
    '-n',
    String(id),
  ]);
  await c.waitFor(/Finished Process Init/, 20_000, 'err');
  return c;
}
