/**
 * Explicit expectations: which planned cells each one selects, the override the matrix plan
 * uses, and the checks that every expectation actually decides some cell (a selector with a
 * typo would otherwise leave the oracle in charge without anyone noticing).
 */
import { type PlanInput, serverName } from '../matrix/plan.js';
import type { CellSpec, Expectation } from '../matrix/types.js';
import type { Problem } from './locate.js';
import type { Scenario, ScenarioExpectation, Selector } from './types.js';

type Cell = Omit<CellSpec, 'expected' | 'index'>;

export function selects(expectation: ScenarioExpectation, cell: Cell): boolean {
  return (
    (expectation.server === undefined || cell.server === serverName(expectation.server, cell.tls)) &&
    (expectation.mode === undefined || cell.mode === expectation.mode) &&
    (expectation.identity === undefined || cell.identity === expectation.identity) &&
    (expectation.protocol === undefined || cell.protocol === expectation.protocol) &&
    (expectation.tls === undefined || cell.tls === expectation.tls)
  );
}

/** The first expectation that selects a cell decides it, like rules in a firewall. */
export function scenarioOverride(scenario: Pick<Scenario, 'expect'>): PlanInput['override'] {
  if (scenario.expect.length === 0) return undefined;
  return (cell): Expectation | undefined => {
    const decisive = scenario.expect.find((expectation) => selects(expectation, cell));
    return decisive ? { verdict: decisive.verdict, reason: decisive.reason, source: 'scenario' } : undefined;
  };
}

/** The cells planMatrix will plan for these servers and identities, in its order. */
export function plannedCells(
  scenario: Pick<Scenario, 'servers' | 'protocols' | 'tls'>,
  identities: readonly string[],
): Cell[] {
  const cells: Cell[] = [];
  for (const server of scenario.servers) {
    const versions = scenario.tls.filter((tls) => server.tls?.includes(tls) ?? true);
    const protocols = scenario.protocols.filter((protocol) => server.protocols?.includes(protocol) ?? true);
    for (const identity of identities) {
      for (const protocol of protocols) {
        for (const tls of versions) {
          cells.push({ server: serverName(server.name, tls), mode: server.mode, identity, protocol, tls });
        }
      }
    }
  }
  return cells;
}

const list = (values: readonly string[]) => values.join(', ');

/** Why an expectation selects nothing: the first selector that alone selects nothing. */
function emptySelector(
  expectation: ScenarioExpectation,
  scenario: Pick<Scenario, 'servers' | 'protocols' | 'tls'>,
  identities: readonly string[],
): { selector: Selector; message: string } | undefined {
  const { server, mode, identity, protocol, tls } = expectation;
  const names = scenario.servers.map((s) => s.name);
  if (server !== undefined && !names.includes(server))
    return { selector: 'server', message: `no server is named "${server}" (servers: ${list(names)})` };
  if (mode !== undefined && !scenario.servers.some((s) => s.mode === mode))
    return { selector: 'mode', message: `no server runs in mode ${mode}` };
  if (identity !== undefined && !identities.includes(identity))
    return {
      selector: 'identity',
      message: `identity "${identity}" is not one this scenario runs (identities: ${list(identities)})`,
    };
  if (protocol !== undefined && !scenario.protocols.includes(protocol))
    return {
      selector: 'protocol',
      message: `protocol ${protocol} is not tested (protocols: ${list(scenario.protocols)})`,
    };
  if (tls !== undefined && !scenario.tls.includes(tls))
    return { selector: 'tls', message: `TLS ${tls} is not tested (tls: ${list(scenario.tls)})` };
  // Each selector alone selects something: the named server's own settings may exclude the rest.
  const named = scenario.servers.find((s) => s.name === server);
  if (named && mode !== undefined && named.mode !== mode)
    return { selector: 'mode', message: `server "${named.name}" runs in mode ${named.mode}` };
  if (named?.protocols && protocol !== undefined && !named.protocols.includes(protocol))
    return {
      selector: 'protocol',
      message: `server "${named.name}" is tested over ${list(named.protocols)} only`,
    };
  if (named?.tls && tls !== undefined && !named.tls.includes(tls))
    return { selector: 'tls', message: `server "${named.name}" serves TLS ${list(named.tls)} only` };
  return undefined;
}

/**
 * Every expectation must decide at least one planned cell: one that selects nothing, or only
 * cells an earlier expectation already decides, is a mistake in the file.
 */
export function checkExpectations(
  scenario: Pick<Scenario, 'servers' | 'protocols' | 'tls' | 'expect'>,
  identities: readonly string[],
): Problem[] {
  const cells = plannedCells(scenario, identities);
  const decidedBy = cells.map((cell) => scenario.expect.findIndex((e) => selects(e, cell)));
  const problems: Problem[] = [];
  scenario.expect.forEach((expectation, index) => {
    const selected = cells.filter((cell) => selects(expectation, cell));
    if (selected.length === 0) {
      const empty = emptySelector(expectation, scenario, identities);
      problems.push(
        empty
          ? {
              path: ['expect', index, empty.selector],
              position: expectation.selectorPositions[empty.selector] ?? expectation.position,
              message: `this expectation selects no planned cell: ${empty.message}`,
            }
          : {
              path: ['expect', index],
              position: expectation.position,
              message:
                'this expectation selects no planned cell: no server of this scenario combines its ' +
                'mode, protocol and TLS version as the selectors ask',
            },
      );
      return;
    }
    if (!decidedBy.some((decider) => decider === index)) {
      const earlier = scenario.expect[decidedBy[cells.indexOf(selected[0]!)]!]!;
      problems.push({
        path: ['expect', index],
        position: expectation.position,
        message:
          `this expectation never applies: every cell it selects is already decided by the ` +
          `expectation at line ${earlier.position.line} (the first expectation that selects a cell decides it)`,
      });
    }
  });
  return problems;
}
