/** Narrowing a plan's input with the command line's filters. Pure. */
import { printable, UsageError } from '../errors.js';
import type { Mode } from '../modes.js';
import type { Protocol, TlsVersion } from '../servers/types.js';
import type { PlanInput } from './plan.js';

export interface PlanFilters {
  modes?: readonly Mode[];
  identities?: readonly string[];
  protocols?: readonly Protocol[];
  tls?: readonly TlsVersion[];
  /** false: servers do not check CRLs, whatever the plan said. */
  checkCrl?: boolean;
}

export function applyFilters(input: PlanInput, filters: PlanFilters): PlanInput {
  const { modes, identities, protocols, tls } = filters;
  if (identities) {
    const known = input.identities.map((identity) => identity.name);
    const unknown = identities.find((name) => !known.includes(name));
    if (unknown !== undefined) {
      throw new UsageError(
        `--identities: unknown identity "${printable(unknown)}"; available here: ${known.join(', ')}.`,
      );
    }
  }
  const narrowed: PlanInput = {
    ...input,
    modes: modes ? input.modes.filter((mode) => modes.includes(mode)) : input.modes,
    servers: modes ? input.servers?.filter((server) => modes.includes(server.mode)) : input.servers,
    identities: identities
      ? input.identities.filter((identity) => identities.includes(identity.name))
      : input.identities,
    protocols: protocols
      ? input.protocols.filter((protocol) => protocols.includes(protocol))
      : input.protocols,
    tls: tls ? input.tls.filter((version) => tls.includes(version)) : input.tls,
  };
  if (filters.checkCrl === false) {
    narrowed.checkCrl = false;
    narrowed.servers = narrowed.servers?.map((server) => ({ ...server, checkCrl: false }));
  }
  const empty =
    (narrowed.servers ? narrowed.servers.length === 0 : narrowed.modes.length === 0) ||
    narrowed.identities.length === 0 ||
    narrowed.protocols.length === 0 ||
    narrowed.tls.length === 0;
  if (empty)
    throw new UsageError('The filters leave no cell to run (modes, identities, protocols or TLS versions).');
  return narrowed;
}
