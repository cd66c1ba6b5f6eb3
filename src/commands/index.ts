/**
 * Every command, in the order `--help` lists them. What is declared here (names, arguments,
 * options, defaults, help) loads nothing heavy; each command's implementation, with the heavy
 * dependencies (X.509, gRPC, PKCS#12, YAML), is imported only when that command runs. So
 * `--help` and `--version` start about as fast as Node itself.
 */
import type { Command } from 'commander';
import type { CliContext } from '../cli.js';
import { declareConfig } from './declare/config.js';
import { declareGen } from './declare/gen.js';
import { declareInspect } from './declare/inspect.js';
import { declareMatrix } from './declare/matrix.js';
import { declareModes, declareScenarios } from './declare/modes.js';
import { declareProbe } from './declare/probe.js';
import { declareServe } from './declare/serve.js';

export function declareCommands(program: Command, ctx: CliContext): void {
  declareMatrix(program, ctx);
  declareGen(program, ctx);
  declareInspect(program, ctx);
  declareServe(program, ctx);
  declareProbe(program, ctx);
  declareConfig(program, ctx);
  declareModes(program, ctx);
  declareScenarios(program, ctx);
}
