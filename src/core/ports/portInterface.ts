/**
 * Tap ports and network namespaces. The tap driver sets a port up (queues,
 * promiscuous mode, link up) through its kernel interface, by name, in the
 * namespace of the process doing it. Once the interface has moved to
 * another namespace, set-up there would quietly create a second interface
 * of the same name here, and traffic in the namespace would go nowhere. So
 * a port is checked before it is set up (refused with what to do) and after
 * (a script that moved the interface during set-up is told so).
 */
import { UsageError } from '../util/errors.js';
import { native } from '../dpdk/native.js';

const MOVE_AFTER = "move interfaces into namespaces only after their ports started (after spawn, or after 'APP: Finished Process Init.')";

/** Before a port's set-up: throws when its interface is no longer in this process's namespace. */
export function requireInterfaceHere(port: number): void {
  const i = native().portInterface(port);
  if (!i || i.here) return;
  const name = i.iface ?? `of ifindex ${i.ifIndex}`;
  throw new UsageError(
    `port ${port}: its interface ${name} has left this process's network namespace, and a tap port is set up through its interface: move ${name} back here, set the port up, then move it; ${MOVE_AFTER}`,
  );
}

function leftDuringSetUp(port: number, name: string): UsageError {
  return new UsageError(
    `port ${port}: its interface ${name} left this process's network namespace while the port was being set up, so nothing would read it: ${MOVE_AFTER}`,
  );
}

/**
 * Runs a port's set-up with the checks around it: refused when the interface
 * has already left; a failure (the link-up finding no interface) or a second
 * interface of that name made here (queues set up after the move) explained.
 * An interface that moved once its port had started is fine.
 */
export function setUpThroughInterface<T>(port: number, setUp: () => T): T {
  requireInterfaceHere(port);
  let result: T;
  try {
    result = setUp();
  } catch (err) {
    const i = native().portInterface(port);
    if (i && !i.here) throw leftDuringSetUp(port, i.iface ?? `of ifindex ${i.ifIndex}`);
    throw err;
  }
  const i = native().portInterface(port);
  if (i && i.iface && i.indexHere !== 0 && i.indexHere !== i.ifIndex) throw leftDuringSetUp(port, i.iface);
  return result;
}

/** Whether the port's interface is elsewhere (a port already set up can still forward). */
export function interfaceMoved(port: number): boolean {
  const i = native().portInterface(port);
  return i !== null && !i.here;
}
