/**
 * The tap bench's floor: the least any program that sleeps between packets
 * can do on this machine. A plain C forwarder (about 40 lines) opens the two
 * tap interfaces itself, sleeps in epoll_wait on both fds and copies each
 * frame it reads from one to the other: no DPDK, no polling, no counters.
 * A sleeping mpsh policy (interrupt, adaptive) is measured against it, and
 * so can be told apart from what the host costs any sleeper (the wake-up of
 * a halted vCPU). The source is compiled into a temporary directory when
 * the bench runs: it is not part of what the tests build.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Proc } from '../harness/proc.js';
import type { TapPair } from '../harness/tap.js';

const SOURCE = String.raw`
#include <fcntl.h>
#include <linux/if.h>
#include <linux/if_tun.h>
#include <stdio.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/ioctl.h>
#include <unistd.h>

static int open_tap(const char* name) {
  int fd = open("/dev/net/tun", O_RDWR | O_NONBLOCK | O_CLOEXEC);
  struct ifreq ifr;
  memset(&ifr, 0, sizeof(ifr));
  ifr.ifr_flags = IFF_TAP | IFF_NO_PI;
  strncpy(ifr.ifr_name, name, IFNAMSIZ - 1);
  if (fd < 0 || ioctl(fd, TUNSETIFF, &ifr) < 0) {
    perror(name);
    _exit(1);
  }
  return fd;
}

int main(int argc, char** argv) {
  if (argc != 3) return 2;
  int fd[2] = {open_tap(argv[1]), open_tap(argv[2])};
  int ep = epoll_create1(EPOLL_CLOEXEC);
  for (int i = 0; i < 2; i++) {
    struct epoll_event ev = {.events = EPOLLIN, .data.u32 = (unsigned)i};
    epoll_ctl(ep, EPOLL_CTL_ADD, fd[i], &ev);
  }
  printf("forwarding\n");
  fflush(stdout);
  static char frame[65536];
  for (;;) {
    struct epoll_event evs[2];
    int n = epoll_wait(ep, evs, 2, -1);
    for (int k = 0; k < n; k++) {
      int i = (int)evs[k].data.u32;
      ssize_t len;
      while ((len = read(fd[i], frame, sizeof(frame))) > 0) (void)!write(fd[i ^ 1], frame, (size_t)len);
    }
  }
}
`;

/** The compiled forwarder; dispose() removes it. */
export function buildEpollFloor(): { binary: string; dispose(): void } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mpsh-epoll-floor-'));
  const src = path.join(dir, 'epoll_floor.c');
  const binary = path.join(dir, 'epoll_floor');
  fs.writeFileSync(src, SOURCE);
  execFileSync('cc', ['-O2', '-Wall', '-o', binary, src], { stdio: ['ignore', 'pipe', 'pipe'] });
  return { binary, dispose: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

/** Starts the forwarder on the pair's two interfaces (it makes them). */
export async function startEpollFloor(binary: string, tap: TapPair): Promise<{ pid: number; stop(): Promise<void> }> {
  const p = new Proc('epoll floor', binary, [tap.ifA, tap.ifB]);
  await p.waitFor(/forwarding/, 10_000);
  return {
    pid: p.pid,
    stop: async () => {
      p.signal('SIGTERM');
      try {
        await p.waitExit(5000);
      } catch {
        await p.stop();
      }
    },
  };
}
