/** `mtls-lab modes`: the five client-auth modes with every alias, for people learning. */
import type { Command } from 'commander';
import type { CliContext } from '../cli.js';
import { MODE_PROMISES, MODES, type ModePromise } from '../modes.js';

export function listModes(): ModePromise[] {
  return MODES.map((mode) => MODE_PROMISES[mode]);
}

export function renderModes(modes: ModePromise[], ctx: CliContext): void {
  const { c } = ctx.io;
  const yesNo = (value: boolean) => (value ? c.green('yes') : c.dim('no '));
  const width = Math.max(...modes.map((m) => m.mode.length));
  ctx.io.line(c.bold(`${'mode'.padEnd(width)}  requests  requires  verifies  aliases`));
  for (const m of modes) {
    const aliases = m.aliases.map((a) => `${a.name} ${c.dim(`(${a.system})`)}`).join(', ');
    ctx.io.line(
      `${c.cyan(m.mode.padEnd(width))}  ${yesNo(m.requests)}       ${yesNo(m.requires)}       ${m.verifies ? c.green('yes') : c.dim('no ')}       ${aliases}`,
    );
    ctx.io.line(`${' '.repeat(width)}  ${c.dim(m.summary)}`);
  }
}

export function registerModes(program: Command, ctx: CliContext): void {
  program
    .command('modes')
    .description('list the five client-auth modes and every alias')
    .option('--json', 'print as JSON')
    .action((options: { json?: boolean }) => {
      const modes = listModes();
      if (options.json) ctx.io.data(`${JSON.stringify(modes, null, 2)}\n`);
      else renderModes(modes, ctx);
    });
}
