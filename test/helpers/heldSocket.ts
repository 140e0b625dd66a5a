/**
 * A process that holds a unix datagram socket bound and never reads it: what
 * a DPDK secondary's child that inherited its multi-process socket looks like
 * once the secondary is gone (SPDK issue 2456). Built from the C below in a
 * temporary directory, once per run.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Proc } from '../../harness/proc.js';

const SOURCE = `
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>
int main(int argc, char **argv) {
  struct sockaddr_un a;
  int fd = socket(AF_UNIX, SOCK_DGRAM, 0);
  if (argc != 2 || fd < 0) return 2;
  memset(&a, 0, sizeof(a));
  a.sun_family = AF_UNIX;
  /* "%d" in the path stands for this process's pid, as EAL names a secondary's socket. */
  snprintf(a.sun_path, sizeof(a.sun_path), argv[1], (int)getpid());
  if (bind(fd, (struct sockaddr *)&a, sizeof(a)) != 0) { perror("bind"); return 1; }
  printf("bound\\n");
  fflush(stdout);
  for (;;) pause();
}
`;

let bin: string | undefined;

/** Starts a holder bound at `socketPath` (`%d` in it: the holder's pid); resolves once bound. */
export async function holdSocket(socketPath: string): Promise<Proc> {
  if (!bin) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mpsh-held-'));
    process.on('exit', () => fs.rmSync(dir, { recursive: true, force: true }));
    fs.writeFileSync(path.join(dir, 'held_socket.c'), SOURCE);
    bin = path.join(dir, 'held_socket');
    execFileSync('cc', ['-O2', '-o', bin, path.join(dir, 'held_socket.c')]);
  }
  const p = new Proc('socket holder', bin, [socketPath]);
  await p.waitFor(/bound/);
  return p;
}
