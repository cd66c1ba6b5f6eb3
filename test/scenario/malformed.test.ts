/**
 * Every malformed fixture is refused with one message that names the file, the exact
 * line:column and the field; nothing else is attempted.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InputError } from '../../src/errors.js';
import { modeNamesHelp } from '../../src/modes.js';
import { STANDARD_IDENTITIES } from '../../src/pki/types.js';
import { loadScenario } from '../../src/scenario/load.js';

const DIR = 'test/fixtures/scenarios';

const NEEDS_ROUTES =
  'the built-in servers (and openssl s_server) verify inside the TLS handshake and cannot let single failures through, while a route verifies each HTTPS or HTTP/2 request itself; write the server as';

const CASES: [fixture: string, at: string, message: string][] = [
  [
    'yaml-syntax-error',
    '4:1',
    'YAML syntax error: Flow sequence in block collection must be sufficiently indented and end with a ]',
  ],
  [
    'unknown-top-level-field',
    '6:1',
    'timeout: unknown field (valid fields here: name, description, pki, servers, target, identities, protocols, tls, check_crl, expect)',
  ],
  [
    'unknown-nested-field',
    '8:5',
    'servers[1].chek_crl: unknown field; did you mean "check_crl"? (valid fields here: name, mode, forgives, protocols, tls, check_crl, engine, client_mtls, routes)',
  ],
  ['wrong-type', '6:12', 'check_crl: expected true or false, got the text "yes"'],
  ['not-a-map', '1:1', 'expected a map of fields, got a list'],
  [
    'unknown-mode',
    '7:11',
    `servers[1].mode: unknown mode "strict"; valid modes and aliases: ${modeNamesHelp()}`,
  ],
  [
    'unknown-protocol',
    '3:18',
    'protocols[1]: unknown protocol "quic"; valid protocols: tls, https, h2, grpc',
  ],
  ['bad-tls-version', '6:12', 'tls[1]: unsupported TLS version "1.1"; valid: 1.2, 1.3'],
  [
    'duplicate-server-name',
    '6:11',
    'servers[1].name: duplicate server name "gateway" (servers[0] has it already); server names must be unique',
  ],
  [
    'unknown-identity',
    '6:27',
    `identities[2]: unknown identity "superuser"; a generated PKI has: ${STANDARD_IDENTITIES.join(', ')}`,
  ],
  [
    'expectation-without-reason',
    '8:5',
    'expect[0].reason: required field is missing: every expectation needs a reason saying why the cells it selects get its verdict',
  ],
  [
    'expectation-matches-nothing',
    '17:15',
    'expect[1].protocol: this expectation selects no planned cell: server "web" is tested over https only',
  ],
  [
    'unknown-expectation-server',
    '7:13',
    'expect[0].server: this expectation selects no planned cell: no server is named "b" (servers: a)',
  ],
  [
    'expectation-shadowed',
    '11:5',
    'expect[1]: this expectation never applies: every cell it selects is already decided by the expectation at line 8 (the first expectation that selects a cell decides it)',
  ],
  [
    'empty',
    '1:1',
    'the file is empty; a scenario needs at least a name and a description (see scenarios/*.yaml)',
  ],
  [
    'missing-pki-dir',
    '4:8',
    `pki.dir: folder not found: ${resolve(DIR, 'no-such-pki')} (relative paths start at the scenario file's folder; \`mtls-lab gen DIR\` writes one)`,
  ],
  ['missing-name', '1:1', 'name: required field is missing: a scenario needs a short name'],
  [
    'generate-and-dir',
    '5:8',
    'pki.dir: give either pki.generate (a fresh PKI) or pki.dir (a folder from `mtls-lab gen`), not both',
  ],
  [
    'server-protocol-outside',
    '7:24',
    "servers[0].protocols[1]: protocol h2 is not among the scenario's protocols (tls, https); add it there too",
  ],
  [
    'route-field-typo',
    '10:11',
    'servers[0].routes[0].client_mtls.allow_expire: unknown field; did you mean "allow_expired"? (valid fields here: enabled, client_auth, client_ca, allow_expired, forgives)',
  ],
  [
    'route-unknown-client-auth',
    '8:36',
    `servers[0].routes[0].client_mtls.client_auth: unknown client_auth "strict"; Runway's are verify, require and request; valid modes and aliases: ${modeNamesHelp()}`,
  ],
  [
    'route-verify-without-ca',
    '11:9',
    "servers[0].routes[1]: route internal verifies (client_auth: verify) but names no client_ca; give root, intermediate or unrelated here or in the server's client_mtls",
  ],
  ['target-and-servers', '6:3', 'servers: a scenario checks either built-in servers or a target, not both'],
  [
    'target-bad-url',
    '4:8',
    'target.url: cannot use "https://127.0.0.1:99999": not a valid URL. Expected https://HOST:PORT, HOST:PORT, [IPv6]:PORT or HOST.',
  ],
  [
    'target-mode-with-routes',
    '5:9',
    'target.mode: a per-route target is judged route by route: give each route its client_mtls instead of a mode (got require_and_verify_client_cert)',
  ],
  [
    'route-listener-mode',
    '5:11',
    `servers[0].mode: a server with routes listens in request_client_cert (Runway's client_auth: "request") and each route decides; drop the mode or write "request" (got require_and_verify_client_cert)`,
  ],
  [
    'route-unknown-forgivable',
    '8:60',
    'servers[0].routes[0].client_mtls.forgives[1]: revoked is not forgivable: whether a revoked certificate passes is whether the server checks CRLs; valid kinds: untrusted-issuer, expired, not-yet-valid, wrong-eku',
  ],
  [
    'route-forgives-without-verify',
    '10:26',
    'servers[0].routes[0].client_mtls.allow_expired: route devices does not verify certificates (client_auth: require), so there is nothing to forgive',
  ],
  [
    'plain-server-forgives',
    '6:15',
    `servers[0].forgives: forgives: [expired] needs routes: ${NEEDS_ROUTES} routes: [{name: all, path: /, client_mtls: {client_auth: on, client_ca: root, forgives: [expired]}}]`,
  ],
  [
    'plain-server-optional-no-ca',
    '5:11',
    `servers[0].mode: optional_no_ca is verify_client_cert_if_given forgiving untrusted-issuer, which needs routes: ${NEEDS_ROUTES} routes: [{name: all, path: /, client_mtls: {client_auth: optional_no_ca, client_ca: root}}]`,
  ],
  [
    'expectation-forgiving-mode',
    '7:11',
    'expect[0].mode: optional_no_ca is verify_client_cert_if_given forgiving untrusted-issuer, more than a mode, and an expectation selects cells by mode only; select its server instead (server: NAME)',
  ],
];

async function refusal(file: string): Promise<InputError> {
  const error = await loadScenario(file).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(InputError);
  return error as InputError;
}

describe('malformed scenarios', () => {
  it.each(CASES)('%s is refused at %s', async (fixture, at, message) => {
    const file = `${DIR}/${fixture}.yaml`;
    expect((await refusal(file)).message).toBe(`${file}:${at}: ${message}`);
  });

  it('names a missing file', async () => {
    const error = await refusal(`${DIR}/does-not-exist.yaml`);
    expect(error.message).toBe(
      `${DIR}/does-not-exist.yaml: scenario file not found (looked at ${resolve(DIR, 'does-not-exist.yaml')})`,
    );
  });

  it('names a folder given as a file', async () => {
    expect((await refusal(DIR)).message).toBe(`${DIR}: is a folder, not a scenario file`);
  });
});

describe('several problems at once', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'mtls-lab-scenario-test-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('lists each on its own line, in source order', async () => {
    const file = join(dir, 'many.yaml');
    await writeFile(
      file,
      ['name: many', 'description: 3', 'servers:', '  - name: a', '    mode: nope', 'tls: ["1.0"]', ''].join(
        '\n',
      ),
    );
    const lines = (await refusal(file)).message.split('\n');
    expect(lines).toEqual([
      `${file}:2:14: description: expected text, got the number 3; put it in quotes to write it as text`,
      `${file}:5:11: servers[0].mode: unknown mode "nope"; valid modes and aliases: ${modeNamesHelp()}`,
      `${file}:6:7: tls[0]: unsupported TLS version "1.0"; valid: 1.2, 1.3`,
    ]);
  });

  it('points at an alias whose anchor does not exist', async () => {
    const file = join(dir, 'alias.yaml');
    await writeFile(file, 'name: a\ndescription: b\nservers: *missing\n');
    expect((await refusal(file)).message).toMatch(
      new RegExp(`^${file.replace(/[.]/g, '\\.')}:3:10: YAML error: `),
    );
  });
});
