/**
 * From a loaded scenario and its PKI to the matrix plan's input. Identity names are checked
 * against the PKI here, because a PKI folder's identities are only known once it is loaded.
 */
import type { PlanInput } from '../matrix/plan.js';
import type { IdentityMaterial, PkiMaterial } from '../pki/types.js';
import { checkExpectations, scenarioOverride } from './expectations.js';
import { type Position, type Problem, problemsError } from './locate.js';
import type { Scenario } from './types.js';

const START: Position = { line: 1, column: 1 };

export function scenarioIdentities(scenario: Scenario, pki: PkiMaterial): IdentityMaterial[] {
  if (!scenario.identities) return pki.identities;
  const available = pki.identities.map((identity) => identity.name);
  const problems: (Problem & { position: Position })[] = [];
  scenario.identities.forEach((name, index) => {
    if (!available.includes(name)) {
      problems.push({
        path: ['identities', index],
        position: scenario.identityPositions[index] ?? START,
        message: `unknown identity "${name}"; the PKI${pki.dir ? ` in ${pki.dir}` : ''} has: ${available.join(', ')}`,
      });
    }
  });
  if (problems.length > 0) throw problemsError(scenario.file, problems);
  return scenario.identities.map((name) => pki.identities.find((identity) => identity.name === name)!);
}

/** Everything planMatrix needs; throws InputError (file:line:column) when the PKI does not fit. */
export function scenarioPlanInput(scenario: Scenario, pki: PkiMaterial): PlanInput {
  const identities = scenarioIdentities(scenario, pki);
  const problems = checkExpectations(
    scenario,
    identities.map((identity) => identity.name),
  );
  if (problems.length > 0) {
    throw problemsError(
      scenario.file,
      problems.map((problem) => ({ ...problem, position: problem.position ?? START })),
    );
  }
  return {
    modes: [...new Set(scenario.servers.map((server) => server.mode))],
    servers: scenario.servers,
    identities,
    protocols: scenario.protocols,
    tls: scenario.tls,
    checkCrl: scenario.checkCrl,
    override: scenarioOverride(scenario),
  };
}
