/** `mtls-lab scenarios`: the shipped scenario files, one line each, ready to run. */
import { isAbsolute, relative } from 'node:path';
import type { CliContext } from '../cli.js';
import { listShippedScenarios, type ShippedScenario } from '../scenario/shipped.js';

export async function scenariosCommand(dir?: string): Promise<ShippedScenario[]> {
  return listShippedScenarios(dir);
}

/** A path to paste: relative when the file is below the current folder, absolute otherwise. */
export function displayPath(file: string, cwd = process.cwd()): string {
  const rel = relative(cwd, file);
  return rel.startsWith('..') || isAbsolute(rel) ? file : rel;
}

export function renderScenarios(scenarios: ShippedScenario[], ctx: CliContext, cwd = process.cwd()): void {
  const { c } = ctx.io;
  if (scenarios.length === 0) {
    ctx.io.line('No scenarios are shipped with this installation.');
    return;
  }
  const width = Math.max(...scenarios.map((s) => s.name.length));
  for (const scenario of scenarios) {
    ctx.io.line(`${c.cyan(scenario.name.padEnd(width))}  ${scenario.description}`);
    ctx.io.line(`${' '.repeat(width)}  ${c.dim(`mtls-lab matrix ${displayPath(scenario.file, cwd)}`)}`);
  }
}

/** What `mtls-lab scenarios` does (declared in ./declare/). */
export async function scenariosAction(ctx: CliContext, options: { json?: boolean }): Promise<void> {
  const scenarios = await scenariosCommand();
  // schemas/scenarios.v1.json
  if (options.json) ctx.io.data(`${JSON.stringify({ version: 1, scenarios }, null, 2)}\n`);
  else renderScenarios(scenarios, ctx);
}
