/** Every spelling of every mode, the behaviours forgiving aliases stand for, and forgives lists. */
import { describe, expect, it } from 'vitest';
import { main } from '../src/cli.js';
import { UsageError } from '../src/errors.js';
import {
  describeBehaviour,
  FORGIVABLE,
  FORGIVABLE_DESCRIPTIONS,
  findBehaviour,
  findMode,
  MODE_PROMISES,
  MODES,
  modeNamesHelp,
  parseForgives,
  resolveBehaviour,
  resolveMode,
} from '../src/modes.js';
import { memoryOutput } from '../src/output.js';
import { parseValid } from './helpers/json-schema.js';

const ALIASES = MODES.flatMap((mode) =>
  MODE_PROMISES[mode].aliases.map((alias) => [alias.name, mode, alias] as const),
);

describe('mode names', () => {
  it.each(MODES)('%s resolves to itself, forgiving nothing', (mode) => {
    expect(resolveBehaviour(mode)).toEqual({ mode, forgives: [] });
  });

  it.each(ALIASES)('%s resolves to %s', (name, mode, alias) => {
    expect(resolveBehaviour(name)).toEqual({ mode, forgives: alias.forgives ?? [] });
    expect(resolveMode(name)).toBe(mode);
    expect(modeNamesHelp()).toContain(name);
  });

  it('nginx optional_no_ca verifies if given and forgives only an untrusted issuer', () => {
    const behaviour = resolveBehaviour('optional_no_ca');
    expect(behaviour).toEqual({ mode: 'verify_client_cert_if_given', forgives: ['untrusted-issuer'] });
    expect(describeBehaviour(behaviour)).toBe('verify_client_cert_if_given forgiving untrusted-issuer');
    // The mode alone, for callers that want nothing else; the others use resolveBehaviour.
    expect(resolveMode('optional_no_ca')).toBe('verify_client_cert_if_given');
    expect(modeNamesHelp()).toContain('optional_no_ca = forgives untrusted-issuer');
  });

  it("accepts RoadRunner's code spelling and the report grid's short names", () => {
    expect(findMode('no_client_cert')).toBe('no_client_certs');
    expect(findMode('request')).toBe('request_client_cert');
    expect(findMode('require_any')).toBe('require_any_client_cert');
    expect(findMode('verify_if_given')).toBe('verify_client_cert_if_given');
    expect(findMode('require_verify')).toBe('require_and_verify_client_cert');
    expect(MODE_PROMISES.require_any_client_cert.aliases).toContainEqual({
      name: 'require_any',
      system: 'mtls-lab',
      note: 'grid short name',
    });
  });

  it("ignores case, spaces at the ends, and '-' against '_'", () => {
    expect(findBehaviour('  Optional-No-CA ')).toEqual(resolveBehaviour('optional_no_ca'));
    expect(findMode('REQUIRE-VERIFY')).toBe('require_and_verify_client_cert');
    expect(findMode('verify-client-cert-if-given')).toBe('verify_client_cert_if_given');
  });

  it('refuses an unknown name with every valid one', () => {
    expect(findBehaviour('strict')).toBeUndefined();
    expect(() => resolveBehaviour('strict', '--mode')).toThrow(UsageError);
    expect(() => resolveMode('strict', '--mode')).toThrow(
      /^Unknown --mode "strict"\. Valid modes and aliases: no_client_certs \(/,
    );
  });

  it('describes a behaviour that forgives nothing by its mode alone', () => {
    expect(describeBehaviour({ mode: 'require_and_verify_client_cert', forgives: [] })).toBe(
      'require_and_verify_client_cert',
    );
  });
});

describe('parseForgives', () => {
  it('sorts into FORGIVABLE order, drops duplicates, and reads a comma-separated string', () => {
    expect(parseForgives(['expired', 'untrusted-issuer', 'expired'], 'forgives')).toEqual([
      'untrusted-issuer',
      'expired',
    ]);
    expect(parseForgives(' wrong_eku, Not-Yet-Valid ,', '--forgives')).toEqual([
      'not-yet-valid',
      'wrong-eku',
    ]);
    expect(parseForgives('', '--forgives')).toEqual([]);
  });

  it('refuses an unknown kind, naming where and listing the valid ones', () => {
    expect(() => parseForgives(['expird'], 'servers[0].forgives')).toThrow(
      'servers[0].forgives: unknown forgivable kind "expird"; valid kinds: untrusted-issuer, expired, not-yet-valid, wrong-eku.',
    );
    expect(() => parseForgives('expired,bogus', '--forgives')).toThrow(UsageError);
  });

  it('says why revocation is not forgivable', () => {
    expect(() => parseForgives(['revoked'], '--forgives')).toThrow(
      /revoked is not forgivable: .*checks CRLs/,
    );
  });

  it('has a one-line description of every kind', () => {
    for (const kind of FORGIVABLE) expect(FORGIVABLE_DESCRIPTIONS[kind]).toMatch(/^[^\n]{10,}$/);
  });
});

describe('mtls-lab modes', () => {
  it('shows every alias, what a forgiving one forgives, and the kinds, within 100 columns', async () => {
    const io = memoryOutput();
    expect(await main(['modes'], io)).toBe(0);
    const text = io.stdoutText();
    for (const [name] of ALIASES) expect(text).toContain(name);
    expect(text).toContain('optional_no_ca (nginx, forgives untrusted-issuer)');
    expect(text).toContain('require_any (mtls-lab, grid short name)');
    const lines = text.split('\n');
    for (const kind of FORGIVABLE) {
      const line = lines.find((l) => l.startsWith(`  ${kind} `));
      expect(line?.endsWith(FORGIVABLE_DESCRIPTIONS[kind])).toBe(true);
    }
    expect(Math.max(...lines.map((line) => line.length))).toBeLessThan(100);
  });

  it('--json lists the modes with forgives on aliases, and the forgivable kinds', async () => {
    const io = memoryOutput();
    expect(await main(['modes', '--json'], io)).toBe(0);
    const listing = parseValid<{
      modes: { mode: string; aliases: { name: string; forgives?: string[] }[] }[];
      forgivable: { kind: string; description: string }[];
    }>('modes', io.stdoutText());
    expect(listing.modes.map((m) => m.mode)).toEqual([...MODES]);
    const aliases = listing.modes.flatMap((m) => m.aliases);
    expect(aliases.find((a) => a.name === 'optional_no_ca')).toEqual({
      name: 'optional_no_ca',
      system: 'nginx',
      forgives: ['untrusted-issuer'],
    });
    expect(listing.forgivable.map((f) => f.kind)).toEqual([...FORGIVABLE]);
  });
});
