export function usage(): string {
  return `Usage: mpsh [EAL options] [-- shell options]

An interactive shell for DPDK multi-process applications, compatible with
DPDK's simple_mp sample: the first process of a file prefix is the primary,
later ones attach as secondaries, and 'send <text>' passes strings between
them over the rings PRI_2_SEC / SEC_2_PRI.

EAL options (passed to rte_eal_init unchanged; see the DPDK EAL guide):
  -l <list>, --lcores <map>   lcores to run on. Default: two lcore ids that no
                              other mpsh process of the prefix holds (from 32
                              up), floating over all CPUs
  --proc-type <type>          primary | secondary | auto. Default: auto
  --file-prefix <name>        shared-memory group. Default: mpsh
  --vdev <dev>                virtual device, e.g. net_null0,
                              net_pcap0,rx_pcap=in.pcap,tx_pcap=out.pcap
  -a <pci>, --no-pci          device selection. Default: --no-pci, plus
                              --vdev=net_null0 --vdev=net_null1 when this
                              process becomes the primary
  (any other EAL option is passed through as given)

Shell options (after --):
  --line                      plain line mode even on a terminal
  -h, --help                  this text

In the shell, 'help' lists the commands. In a terminal mpsh shows an
interactive screen; with stdin not a terminal it reads one command a line
and prints the stock 'simple_mp > ' prompt.
`;
}
