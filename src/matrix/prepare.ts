/**
 * Where a run's PKI and plan come from: the built-in default (a fresh in-memory PKI, all
 * five modes), a PKI folder, or a scenario file. Whatever is prepared is disposed by the
 * caller (a scenario's PKCS#12 keystores live in a temporary folder).
 */
import { MODES } from '../modes.js';
import { generatePki } from '../pki/generate.js';
import { loadPki } from '../pki/load.js';
import type { KeyType, PkiMaterial } from '../pki/types.js';
import { PROTOCOLS, TLS_VERSIONS } from '../servers/types.js';
import type { ScenarioTarget } from '../scenario/target.js';
import type { PlanInput } from './plan.js';

export interface PreparedRun {
  pki: PkiMaterial;
  input: PlanInput;
  generated: boolean;
  /** The scenario's name, when there is one. */
  scenario?: string;
  /** The scenario's target: a server the user runs, checked instead of built-in servers. */
  target?: ScenarioTarget;
  dispose(): Promise<void>;
}

export async function prepareDefault(options: {
  pkiDir?: string;
  keyType: KeyType;
  signal?: AbortSignal;
}): Promise<PreparedRun> {
  const pki = options.pkiDir
    ? await loadPki(options.pkiDir)
    : await generatePki({ keyType: options.keyType }, options.signal);
  return {
    pki,
    input: {
      modes: MODES,
      identities: pki.identities,
      protocols: PROTOCOLS,
      tls: TLS_VERSIONS,
      checkCrl: true,
    },
    generated: !options.pkiDir,
    dispose: async () => {},
  };
}

/** A scenario file, or the name of a shipped scenario. YAML and schema code load only here. */
export async function prepareScenario(fileOrName: string, signal?: AbortSignal): Promise<PreparedRun> {
  const { findShippedScenario, loadScenario, preparePki, scenarioPlanInput } =
    await import('../scenario/index.js');
  const shipped = /[/\\]|\.ya?ml$/.test(fileOrName) ? undefined : await findShippedScenario(fileOrName);
  const scenario = await loadScenario(shipped?.file ?? fileOrName);
  const prepared = await preparePki(scenario, signal);
  try {
    return {
      pki: prepared.pki,
      input: scenarioPlanInput(scenario, prepared.pki),
      generated: scenario.pki.source === 'generate',
      scenario: scenario.name,
      ...(scenario.target ? { target: scenario.target } : {}),
      dispose: () => prepared.dispose(),
    };
  } catch (error) {
    await prepared.dispose();
    throw error;
  }
}
