/**
 * Checks that need more than one field at a time: unique names, servers' protocols and TLS
 * versions within the scenario's, identity names, and `pki` giving one source only.
 * Expectations are checked in expectations.ts once the identity names are known.
 */
import { STANDARD_IDENTITIES } from '../pki/types.js';
import type { Protocol, TlsVersion } from '../servers/types.js';
import type { FieldPath, Problem } from './locate.js';
import { checkRoutes } from './routes.js';
import type { RawScenario } from './schema.js';

function duplicates<T>(
  values: readonly T[] | undefined,
  path: FieldPath,
  what: (value: T) => string,
): Problem[] {
  const problems: Problem[] = [];
  values?.forEach((value, index) => {
    const first = values.indexOf(value);
    if (first !== index) {
      problems.push({
        path: [...path, index],
        message: `${what(value)} is listed twice (first as item ${first + 1})`,
      });
    }
  });
  return problems;
}

function subset<T extends string>(
  values: readonly T[] | undefined,
  allowed: readonly T[],
  path: FieldPath,
  what: (value: T) => string,
  field: string,
): Problem[] {
  const problems: Problem[] = [];
  values?.forEach((value, index) => {
    if (!allowed.includes(value)) {
      problems.push({
        path: [...path, index],
        message: `${what(value)} is not among the scenario's ${field} (${allowed.join(', ')}); add it there too`,
      });
    }
  });
  return problems;
}

/** Identity names a generated PKI has, or undefined when the PKI comes from a folder. */
export function knownIdentityNames(raw: RawScenario): readonly string[] | undefined {
  return raw.pki?.dir === undefined ? STANDARD_IDENTITIES : undefined;
}

/** `protocols` and `tls` are the scenario's own, defaults filled in. */
export function checkScenario(
  raw: RawScenario,
  protocols: readonly Protocol[],
  tls: readonly TlsVersion[],
): Problem[] {
  const problems: Problem[] = [];
  if (raw.pki?.dir !== undefined && raw.pki.generate !== undefined) {
    problems.push({
      path: ['pki', 'dir'],
      message: 'give either pki.generate (a fresh PKI) or pki.dir (a folder from `mtls-lab gen`), not both',
    });
  }
  problems.push(...duplicates(raw.protocols, ['protocols'], (p) => `protocol ${p}`));
  problems.push(...duplicates(raw.tls, ['tls'], (v) => `TLS ${v}`));
  problems.push(...duplicates(raw.identities, ['identities'], (name) => `identity "${name}"`));

  const servers = raw.servers ?? [];
  const names = servers.map((server) => server.name);
  servers.forEach((server, index) => {
    const first = names.indexOf(server.name);
    if (first !== index) {
      problems.push({
        path: ['servers', index, 'name'],
        message: `duplicate server name "${server.name}" (servers[${first}] has it already); server names must be unique`,
      });
    }
    const at: FieldPath = ['servers', index];
    problems.push(...duplicates(server.protocols, [...at, 'protocols'], (p) => `protocol ${p}`));
    problems.push(...duplicates(server.tls, [...at, 'tls'], (v) => `TLS ${v}`));
    problems.push(
      ...subset(server.protocols, protocols, [...at, 'protocols'], (p) => `protocol ${p}`, 'protocols'),
    );
    problems.push(...subset(server.tls, tls, [...at, 'tls'], (v) => `TLS ${v}`, 'tls versions'));
  });

  problems.push(...checkRoutes(servers));

  const known = knownIdentityNames(raw);
  if (known) {
    raw.identities?.forEach((name, index) => {
      if (!known.includes(name)) {
        problems.push({
          path: ['identities', index],
          message: `unknown identity "${name}"; a generated PKI has: ${known.join(', ')}`,
        });
      }
    });
  }
  return problems;
}
