import type { CliContext } from '../../cli.js';

/**
 * A command's action that imports the command's implementation only when it runs, so that
 * `--help`, `--version` and the other commands never load it.
 */
export function lazy<A extends unknown[]>(
  ctx: CliContext,
  load: () => Promise<(ctx: CliContext, ...args: A) => Promise<void> | void>,
): (...args: A) => Promise<void> {
  return async (...args) => (await load())(ctx, ...args);
}
