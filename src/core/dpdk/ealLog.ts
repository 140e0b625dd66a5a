/**
 * EAL's and the drivers' log lines while the TTY screen is up. Written raw on
 * stderr they landed inside the frame Ink draws: cut mid-word by the
 * terminal, above the command that caused them, or erased by the next
 * redraw. Here they go to a pipe (native/src/eal/stdio.cc) that the session
 * reads before each entry it appends and on each sample, so every line is
 * shown once, in order with the shell's own output. Line mode keeps them on
 * stderr, apart from the commands' output.
 */
import fs from 'node:fs';
import { StringDecoder } from 'node:string_decoder';
import { native } from './native.js';

export class EalLogPipe {
  private readonly decoder = new StringDecoder('utf8');
  private partial = '';
  private closed = false;

  private constructor(private readonly fd: number) {}

  /** From now on EAL logs into the pipe. */
  static open(): EalLogPipe {
    return new EalLogPipe(native().ealLogToPipe());
  }

  /** The whole lines written since the last call; never blocks, and costs one read(2) when there are none. */
  read(): string[] {
    if (this.closed) return [];
    let text = this.partial;
    for (let chunk = native().ealLogRead(this.fd); chunk; chunk = native().ealLogRead(this.fd)) text += this.decoder.write(chunk);
    if (text === '') return [];
    const lines = text.split('\n');
    this.partial = lines.pop()!;
    return lines;
  }

  /** EAL logs on stderr again; returns what was still in the pipe (an unfinished line too). */
  close(): string[] {
    if (this.closed) return [];
    native().ealLogToStderr();
    const rest = this.read();
    if (this.partial !== '') rest.push(this.partial);
    this.closed = true;
    fs.closeSync(this.fd);
    return rest;
  }
}
