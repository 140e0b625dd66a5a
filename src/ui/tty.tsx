import { render } from 'ink';
import { App, type ShellPort } from './App.js';

/** Runs the Ink front end until the shell quits; returns the unmount function. */
export function runTty(shell: ShellPort): () => Promise<void> {
  shell.session.interactive = true;
  const instance = render(<App shell={shell} />, { exitOnCtrlC: false, patchConsole: false, maxFps: 10 });
  return async () => {
    // The last entries (what quit stopped) reach the screen before it goes:
    // React renders a store change on a later turn.
    shell.session.poll();
    shell.session.flush();
    await new Promise((r) => setImmediate(r));
    instance.unmount();
  };
}
