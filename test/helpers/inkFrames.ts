/**
 * Ink rendered into a fake terminal of a given size (ink-testing-library's
 * stdout is always 100 columns wide): frames as Ink wrote them.
 */
import { EventEmitter } from 'node:events';
import { render, type Instance } from 'ink';
import type { ReactElement } from 'react';

class FakeStream extends EventEmitter {
  frames: string[] = [];
  constructor(
    readonly columns: number,
    readonly rows: number,
  ) {
    super();
  }
  write = (frame: string) => {
    this.frames.push(frame);
  };
}

class FakeStdin extends EventEmitter {
  isTTY = true;
  private data: string | null = null;
  write = (data: string) => {
    this.data = data;
    this.emit('readable');
    this.emit('data', data);
  };
  read = () => {
    const d = this.data;
    this.data = null;
    return d;
  };
  setEncoding() {}
  setRawMode() {}
  resume() {}
  pause() {}
  ref() {}
  unref() {}
}

export interface SizedRender {
  lastFrame(): string;
  stdin: FakeStdin;
  unmount(): void;
}

export function renderSized(tree: ReactElement, columns: number, rows: number): SizedRender {
  const stdout = new FakeStream(columns, rows);
  const stdin = new FakeStdin();
  const instance: Instance = render(tree, {
    stdout: stdout as unknown as NodeJS.WriteStream,
    stderr: new FakeStream(columns, rows) as unknown as NodeJS.WriteStream,
    stdin: stdin as unknown as NodeJS.ReadStream,
    debug: true,
    exitOnCtrlC: false,
    patchConsole: false,
  });
  return { lastFrame: () => stdout.frames.at(-1) ?? '', stdin, unmount: () => instance.unmount() };
}

/** The display width of a line (every glyph the panel uses is one column wide). */
export const widthOf = (line: string) => [...line].length;
