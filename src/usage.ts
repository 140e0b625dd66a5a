import { DEFAULT_RING_SIZE, MAX_RING_SIZE, MIN_RING_SIZE, STOCK_RING_SIZE } from './core/roles/clientServer/ringSize.js';

export function usage(): string {
  return `Usage: mpsh [EAL options] [-- shell options]
       mpsh symmetric [EAL options] -- -p <portmask> --num-procs <N> --proc-id <n> [--idle <policy>]
       mpsh server [EAL options] -- -p <portmask> -n <num-clients> [--strict-round-robin] [--idle <policy>]
                                   [--ring-size <n>]
       mpsh client [EAL options] -- -n <client-id> [--idle <policy>]
       mpsh hotplug [EAL options] [-- shell options]
       mpsh exporter [EAL options] -- --listen <host:port>

An interactive shell for DPDK multi-process applications, compatible with
DPDK's simple_mp sample: the first process of a file prefix is the primary,
later ones attach as secondaries, and 'send <text>' passes strings between
them over the rings PRI_2_SEC / SEC_2_PRI. From the prompt, 'spawn' starts
symmetric_mp workers or a client_server_mp group and 'stats' shows their
live counters. The symmetric, server and client roles are drop-ins for
dpdk-symmetric_mp, dpdk-mp_server and dpdk-mp_client (same arguments);
the hotplug role is the shell as a drop-in for dpdk-hotplug_mp ('example> '
prompt, no ports or rings of its own): attach, detach and list devices in
every process of the prefix.

EAL options (passed to rte_eal_init unchanged; see the DPDK EAL guide):
  -l <list>, --lcores <map>   lcores to run on. Default: lcore ids that no
                              other mpsh process of the prefix holds (from 32
                              up): the main one floating over all CPUs, a
                              packet loop's pinned to one CPU
  --proc-type <type>          primary | secondary | auto. Default: auto
                              (secondary for 'client')
  --file-prefix <name>        shared-memory group. Default: mpsh
  --vdev <dev>                virtual device, e.g. net_null0,
                              net_pcap0,rx_pcap=in.pcap,tx_pcap=out.pcap
  -a <pci>, --no-pci          device selection. Default: --no-pci, plus
                              --vdev=net_null0 --vdev=net_null1 when this
                              process becomes the primary
  (any other EAL option is passed through as given)

Shell options (after --):
  --line                      plain line mode even on a terminal
  --metrics <host:port>       serve Prometheus metrics on http://<host:port>/metrics
                              (off by default; 127.0.0.1 keeps them on this machine)
  -h, --help                  this text

Symmetric options: -p <hex> ports to forward between (pairs 0-1, 2-3, ...),
  --num-procs <N> processes (queues per port), --proc-id <n> this one's queue.
Server options: -p <hex> ports to read, -n <N> clients (1..16),
  --strict-round-robin to keep sending to clients that are gone, as stock does,
  --ring-size <n> each client ring's size, a power of two ${MIN_RING_SIZE}..${MAX_RING_SIZE} (default
  ${DEFAULT_RING_SIZE}, stock's ${STOCK_RING_SIZE}; a ring holds one packet less): larger rings absorb bursts
  into idle clients, but under sustained overload queue longer (up to size /
  client rate) before dropping. The primary that creates the group chooses.
Client options: -n <id> this client's ring and TX queue.
Every role: --idle poll|interrupt|adaptive, what its packet loop does when no
  packets come. poll never sleeps (a core at 100%, as stock); interrupt sleeps
  until packets come (on tap queue fds, or a wake-up from the server; other
  ports: short sleeps); adaptive (default) polls 300 us after traffic, then
  sleeps like interrupt.
Exporter options: --listen <host:port> where to serve /metrics; it attaches
  as a secondary monitor and serves only metrics (mpsh's or stock groups).

In the shell, 'help' lists the commands. In a terminal mpsh shows an
interactive screen; with stdin not a terminal it reads one command a line
and prints the stock 'simple_mp > ' prompt.
`;
}
