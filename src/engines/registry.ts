/**
 * Every engine, one line each. Adding an engine is one driver module (see types.ts) and one
 * line here; planning, the run, the reports and `--engine` read this list.
 */
import { apache } from './apache.js';
import { caddy } from './caddy.js';
import { go } from './go.js';
import { haproxy } from './haproxy.js';
import { jvm } from './jvm.js';
import { nginx } from './nginx.js';
import { node } from './node.js';
import { openssl } from './openssl.js';
import { ENGINES, type Engine } from './names.js';
import type { EngineDriver } from './types.js';

export const DRIVERS = [
  node,
  openssl,
  nginx,
  caddy,
  haproxy,
  apache,
  jvm,
  go,
] as const satisfies readonly EngineDriver[];

// The drivers, in the order of the light list of names (names.ts), checked by the compiler.
type DriverNames<T extends readonly EngineDriver[]> = { [K in keyof T]: T[K]['name'] };
const inOrder: DriverNames<typeof DRIVERS> = ENGINES;
void inOrder;

export { ENGINES, type Engine };

export function driverOf(engine: Engine): EngineDriver {
  return DRIVERS.find((driver) => driver.name === engine)!;
}

/** Why an engine does not serve a protocol; undefined when it does. */
export function unservedReason(
  engine: Engine,
  protocol: keyof EngineDriver['protocols'],
): string | undefined {
  const served = driverOf(engine).protocols[protocol];
  return served === true ? undefined : served;
}

const answers = new Map<Engine, Promise<string | undefined>>();

/** Why an engine cannot run on this machine (with the package to install); asked once per process. */
export function unavailableReason(engine: Engine): Promise<string | undefined> {
  let answer = answers.get(engine);
  if (!answer) answers.set(engine, (answer = driverOf(engine).unavailable()));
  return answer;
}
