/**
 * The scenarios shipped in the package's scenarios/ folder. From src/scenario/ (tests) and
 * from dist/scenario/ (the installed CLI) alike, that folder is two levels up.
 */
import { readdir } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadScenario } from './load.js';

export const SHIPPED_SCENARIOS_DIR = fileURLToPath(new URL('../../scenarios/', import.meta.url));

export interface ShippedScenario {
  /** Absolute path of the file. */
  file: string;
  name: string;
  description: string;
}

/** Every shipped scenario, loaded and validated (a broken one throws, naming its line), by file name. */
export async function listShippedScenarios(dir = SHIPPED_SCENARIOS_DIR): Promise<ShippedScenario[]> {
  const files = (await readdir(dir)).filter((name) => /\.ya?ml$/.test(name)).sort();
  return Promise.all(
    files.map(async (name) => {
      const scenario = await loadScenario(join(dir, name));
      return { file: scenario.path, name: scenario.name, description: scenario.description };
    }),
  );
}

/** The shipped scenario with this name or file name (with or without .yaml), if any. */
export async function findShippedScenario(name: string, dir = SHIPPED_SCENARIOS_DIR) {
  const wanted = name.replace(/\.ya?ml$/, '');
  const shipped = await listShippedScenarios(dir);
  return shipped.find(
    (scenario) => scenario.name === wanted || basename(scenario.file).replace(/\.ya?ml$/, '') === wanted,
  );
}
