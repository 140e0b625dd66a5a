import assert from 'node:assert/strict';
import { CommandRegistry } from '../../src/commands/registry.js';
import type { Command, CommandContext } from '../../src/commands/types.js';
import { Session } from '../../src/core/shell/session.js';

function fakeContext(commands: readonly Command[]): CommandContext & { quits: number } {
  const ctx = {
    session: new Session(),
    simpleMp: null,
    control: null,
    commands,
    quits: 0,
    requestQuit() {
      ctx.quits++;
    },
  };
  return ctx;
}

describe('command registry', () => {
  const registry = new CommandRegistry();
  const texts = (ctx: CommandContext) => ctx.session.snapshot().log.map((e) => e.text);

  it('lists every registered command in help, one line each', async () => {
    const ctx = fakeContext(registry.commands);
    await registry.execute(ctx, 'help');
    for (const c of registry.commands)
      assert.ok(
        texts(ctx).some((l) => l.trimStart().startsWith(c.name)),
        c.name,
      );
  });
  it('explains one command with help <name>, and says when there is none', async () => {
    const ctx = fakeContext(registry.commands);
    await registry.execute(ctx, 'help spawn');
    assert.match(
      texts(ctx).join('\n'),
      /^usage: spawn symmetric\|server\|client …[\s\S]*spawn server --clients <N> \[--portmask <hex>\] \[--start-clients\] \[--strict-round-robin\]/,
    );
    await registry.execute(ctx, 'help frob');
    assert.equal(texts(ctx).at(-1), "help: no command 'frob': help lists them");
  });

  it('answers unknown commands and garbage with one line', async () => {
    const ctx = fakeContext(registry.commands);
    await registry.execute(ctx, 'frobnicate now');
    await registry.execute(ctx, '\x00\x01\xff\x1b[31m');
    assert.deepEqual(texts(ctx).length, 2);
    assert.match(texts(ctx)[0]!, /^unknown command 'frobnicate': type help/);
    assert.ok(!texts(ctx)[1]!.includes('\x1b'), 'no escape sequence echoed');
  });
  it('quits through the context', async () => {
    const ctx = fakeContext(registry.commands);
    await registry.execute(ctx, 'quit');
    assert.equal(ctx.quits, 1);
  });
  it('completes command names and arguments', () => {
    const ctx = fakeContext(registry.commands);
    assert.deepEqual(registry.complete(ctx, 'he'), { line: 'help ', candidates: ['help'] });
    assert.equal(registry.complete(ctx, 'x').candidates.length, 0);
    const custom = new CommandRegistry([
      { name: 'kill', args: '<name>', maxArgs: 1, summary: '', complete: () => ['sym0', 'sym1', 'server'], run() {} },
      { name: 'kick', args: '', maxArgs: 0, summary: '', run() {} },
    ]);
    assert.deepEqual(custom.complete(ctx, 'k').candidates, ['kill', 'kick']);
    assert.equal(custom.complete(ctx, 'kill sy').line, 'kill sym');
    assert.equal(custom.complete(ctx, 'kill se').line, 'kill server ');
  });
  it('turns a throwing command into one error line', async () => {
    const boom = new CommandRegistry([
      {
        name: 'boom',
        args: '',
        maxArgs: 0,
        summary: '',
        run() {
          throw new Error('bad');
        },
      },
    ]);
    const ctx = fakeContext(boom.commands);
    await boom.execute(ctx, 'boom');
    assert.deepEqual(texts(ctx), ['boom: bad']);
  });
});
