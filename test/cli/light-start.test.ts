/**
 * `--help`, `--version` and option parsing load only the light declarations: what the entry
 * point reaches through static imports (dynamic `import()` is how implementations load to run)
 * holds no command implementation, engine driver or heavy library. How fast that starts is
 * measured by `npm run bench`; this keeps an innocent-looking import from undoing it.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const DIST = resolve('dist');
/** Packages the entry point may load before a command runs. */
const LIGHT_PACKAGES = ['commander', 'chalk'];

/** Specifiers of a built module's static imports and re-exports (not `import()`). */
function staticImports(source: string): string[] {
  const found = source.matchAll(/^\s*(?:import|export)\s(?:[^'";]*?\sfrom\s)?\s*['"]([^'"]+)['"]/gm);
  return [...found].map((match) => match[1]!);
}

function reachable(entry: string): { modules: string[]; packages: string[] } {
  const modules = new Set<string>();
  const packages = new Set<string>();
  const queue = [entry];
  while (queue.length > 0) {
    const file = queue.pop()!;
    if (modules.has(file)) continue;
    modules.add(file);
    for (const specifier of staticImports(readFileSync(file, 'utf8'))) {
      if (specifier.startsWith('node:')) continue;
      if (specifier.startsWith('.')) queue.push(resolve(dirname(file), specifier));
      else
        packages.add(
          specifier.startsWith('@') ? specifier.split('/').slice(0, 2).join('/') : specifier.split('/')[0]!,
        );
    }
  }
  return { modules: [...modules].map((file) => relative(DIST, file)).sort(), packages: [...packages].sort() };
}

describe('start-up stays light', () => {
  it('finds the static imports of a built module, and not the dynamic ones', () => {
    expect(
      staticImports(
        "import './a.js';\nimport { b } from './b.js';\nexport { c } from '../c.js';\nimport * as d from 'node:fs';\nconst e = await import('./e.js');\n",
      ),
    ).toEqual(['./a.js', './b.js', '../c.js', 'node:fs']);
  });

  it('the entry point reaches only declarations and light modules before a command runs', () => {
    expect(existsSync(join(DIST, 'cli.js')), 'npm test builds dist/ first').toBe(true);
    const { modules, packages } = reachable(join(DIST, 'cli.js'));
    expect(packages.filter((name) => !LIGHT_PACKAGES.includes(name))).toEqual([]);
    const commands = modules.filter((file) => file.startsWith('commands/'));
    expect(commands.filter((file) => !/^commands\/(index|declare\/[\w-]+)\.js$/.test(file))).toEqual([]);
    expect(
      modules.filter((file) =>
        /^(engines\/(?!names)|pki\/generate|matrix\/|servers\/(?!types)|clients\/)/.test(file),
      ),
    ).toEqual([]);
    // The walk did see the declarations, so an empty list above means something.
    expect(commands).toContain('commands/declare/matrix.js');
  });
});
