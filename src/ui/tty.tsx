import { render } from 'ink';
import { App, type ShellPort } from './App.js';

/** Runs the Ink front end until the shell quits; returns the unmount function. */
export function runTty(shell: ShellPort): () => void {
  shell.session.interactive = true;
  const instance = render(<App shell={shell} />, { exitOnCtrlC: false, patchConsole: false, maxFps: 10 });
  return () => instance.unmount();
}
