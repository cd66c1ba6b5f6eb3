/**
 * loadScenario(): read a scenario file, parse it keeping every node's position, validate it,
 * and return it with mode aliases resolved, defaults filled in and paths made absolute.
 * Every problem becomes one InputError naming file:line:column and the field; nothing about
 * a refused scenario is ever run.
 */
import { stat } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { type Document, isAlias, LineCounter, parseDocument, visit } from 'yaml';
import { InputError, messageOf, printable } from '../errors.js';
import type { ServerRequest } from '../matrix/plan.js';
import { MODES } from '../modes.js';
import { DEFAULT_DAYS, DEFAULT_KEY_TYPE } from '../pki/generate.js';
import { MAX_TEXT_FILE_BYTES, readBoundedFile } from '../pki/files.js';
import { DEFAULT_P12_PASSWORD } from '../pki/write.js';
import { PROTOCOLS, TLS_VERSIONS } from '../servers/types.js';
import { checkScenario, knownIdentityNames } from './check.js';
import { checkExpectations } from './expectations.js';
import { issueProblems } from './issues.js';
import { serverRequests } from './routes.js';
import { checkTarget, scenarioTarget } from './target.js';
import { type Position, type Problem, problemsError, SourceMap } from './locate.js';
import { type RawExpectation, type RawScenario, scenarioSchema } from './schema.js';
import { type Scenario, type ScenarioExpectation, type ScenarioPki, SELECTORS } from './types.js';

async function readScenarioText(file: string, path: string): Promise<string> {
  const name = printable(file);
  const data = await readBoundedFile(path, MAX_TEXT_FILE_BYTES, {
    notFound: () => `${name}: scenario file not found (looked at ${printable(path)})`,
    notRegular: (kind) =>
      kind === 'a folder'
        ? `${name}: is a folder, not a scenario file`
        : `${name}: is ${kind}, not a regular file; a scenario must be a YAML file`,
    tooLarge: (bound) =>
      `${name}: the scenario file is larger than ${bound}, the most a scenario may be; nothing was read`,
    other: (reason) => `${name}: cannot read the scenario file: ${reason}`,
  });
  return data.toString('utf8');
}

function parseYaml(file: string, text: string): { doc: Document.Parsed; map: SourceMap; data: unknown } {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines });
  if (doc.errors.length > 0) {
    throw problemsError(
      file,
      doc.errors.map((error) => {
        const at = error.linePos?.[0] ?? { line: 1, col: 1 };
        // The yaml package's message repeats the position and a source excerpt; ours shows the position once.
        const message = error.message.replace(/ at line \d+, column \d+:[\s\S]*$/, '');
        return {
          path: [],
          position: { line: at.line, column: at.col },
          message: `YAML syntax error: ${message}`,
        };
      }),
    );
  }
  if (doc.contents === null) {
    throw new InputError(
      `${file}:1:1: the file is empty; a scenario needs at least a name and a description (see scenarios/*.yaml)`,
    );
  }
  const map = new SourceMap(doc, lines);
  try {
    return { doc, map, data: doc.toJS() };
  } catch (error) {
    // An alias to an anchor that does not exist is only noticed when the values are built.
    let position: Position = { line: 1, column: 1 };
    visit(doc, {
      Alias(_, node) {
        if (isAlias(node) && node.resolve(doc) === undefined) {
          position = map.positionOf(node);
          return visit.BREAK;
        }
      },
    });
    throw problemsError(file, [{ path: [], position, message: `YAML error: ${messageOf(error)}` }]);
  }
}

async function resolvePki(raw: RawScenario, scenarioPath: string, problems: Problem[]): Promise<ScenarioPki> {
  const options = {
    keystores: raw.pki?.keystores ?? 'pem',
    p12Password: raw.pki?.p12_password ?? DEFAULT_P12_PASSWORD,
  };
  if (raw.pki?.dir === undefined) {
    const generate = raw.pki?.generate ?? {};
    return {
      source: 'generate',
      keyType: generate.key_type ?? DEFAULT_KEY_TYPE,
      days: generate.days ?? DEFAULT_DAYS,
      ...options,
    };
  }
  const dir = resolve(dirname(scenarioPath), raw.pki.dir);
  const found = await stat(dir).catch(() => undefined);
  if (!found?.isDirectory()) {
    problems.push({
      path: ['pki', 'dir'],
      message: `${found ? 'not a folder' : 'folder not found'}: ${dir} (relative paths start at the scenario file's folder; \`mtls-lab gen DIR\` writes one)`,
    });
  }
  return { source: 'dir', dir, ...options };
}

function toExpectation(raw: RawExpectation, index: number, map: SourceMap): ScenarioExpectation {
  const { verdict, reason, ...selectors } = raw;
  const selectorPositions: ScenarioExpectation['selectorPositions'] = {};
  for (const selector of SELECTORS) {
    if (selectors[selector] !== undefined)
      selectorPositions[selector] = map.locate(['expect', index, selector]);
  }
  return { ...selectors, verdict, reason, position: map.locate(['expect', index]), selectorPositions };
}

export async function loadScenario(file: string): Promise<Scenario> {
  const path = resolve(file);
  const { map, data } = parseYaml(file, await readScenarioText(file, path));
  const located = (problems: Problem[]) =>
    problemsError(
      file,
      problems.map((p) => ({ ...p, position: p.position ?? map.locate(p.path, { key: p.atKey }) })),
    );

  const parsed = scenarioSchema.safeParse(data);
  if (!parsed.success) throw located(parsed.error.issues.flatMap((issue) => issueProblems(issue, data)));
  const raw = parsed.data;

  const protocols = raw.protocols ?? [...PROTOCOLS];
  const tls = raw.tls ?? [...TLS_VERSIONS];
  const problems = [...checkScenario(raw, protocols, tls), ...checkTarget(raw)];
  const servers: ServerRequest[] = raw.target
    ? []
    : raw.servers
      ? serverRequests(raw.servers)
      : MODES.map((mode) => ({ name: mode, mode }));
  const expect = (raw.expect ?? []).map((expectation, index) => toExpectation(expectation, index, map));
  const pki = await resolvePki(raw, path, problems);
  const identityNames = raw.identities ?? knownIdentityNames(raw);
  // Expectations are judged against the plan, which only makes sense once the rest is sound;
  // with a PKI folder and no identity list they are judged when the PKI is loaded.
  if (problems.length === 0 && identityNames && !raw.target) {
    problems.push(...checkExpectations({ servers, protocols, tls, expect }, identityNames));
  }
  if (problems.length > 0) throw located(problems);

  return {
    file,
    path,
    name: raw.name,
    description: raw.description,
    pki,
    servers,
    ...(raw.target ? { target: scenarioTarget(raw.target, path) } : {}),
    identities: raw.identities,
    protocols,
    tls,
    checkCrl: raw.check_crl ?? true,
    expect,
    identityPositions: (raw.identities ?? []).map((_, index) => map.locate(['identities', index])),
  };
}
