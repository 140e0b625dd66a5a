/**
 * Ports an application started: a port the prefix's primary configured and
 * started (testpmd forwarding on it) is the app's, even when no mpsh process
 * uses it. Detaching it under the app makes its lcores burst on a port that
 * is gone (testpmd: `tx_pkt_burst for not ready port`, then its `stop`
 * fails), so `detach` refuses it unless forced.
 */
import { native } from '../dpdk/native.js';
import { isMpshProcess, primaryOf } from '../dpdk/primaryLife.js';

/**
 * Who started `port`, when that is an application other than mpsh
 * (`dpdk-testpmd (pid 123)`); null when the port is stopped, mpsh's own
 * (an mpsh primary's ports are its workers', which `usersOf` names), or
 * its state cannot be read.
 */
export function appStarted(port: number, runtimeDir: string, processType: string): string | null {
  if (processType === 'primary') return null;
  if (native().portStartedShared(port) !== true) return null;
  const app = primaryOf(runtimeDir);
  if (app && isMpshProcess(app.pid)) return null;
  return app ? `${app.command.split(' ')[0]} (pid ${app.pid})` : 'a process of the prefix';
}
