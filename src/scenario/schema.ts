/**
 * The scenario file format: a YAML map that describes a setup declaratively.
 *
 *   name: roadrunner-client-auth          # required: short name used in reports
 *   description: one line                 # required: what the scenario shows
 *   pki:                                  # optional; default: generate with defaults
 *     generate: {key_type: ecdsa-p256, days: 365}   # a fresh in-memory PKI, or ...
 *     dir: ./pki                          # ... a folder from `mtls-lab gen`, relative to this file
 *     keystores: pem                      # pem (default) | pkcs12: servers and clients load their
 *                                         #   material from the .p12 files, as a JVM/Akka setup does
 *     p12_password: changeit              # password of the .p12 files (default changeit)
 *   servers:                              # optional; default: one server per mode, named after it
 *     - name: strict                      # required, unique: letters, digits, '.', '_', '-'
 *       mode: on                          # required: canonical mode or any alias (Go, nginx, Runway);
 *                                         #   `mtls-lab modes` lists them
 *       forgives: [expired]               # verification failures let through; the built-in servers
 *                                         #   verify in the handshake and cannot, so this, like a
 *                                         #   forgiving alias (optional_no_ca), is refused here:
 *                                         #   write a route instead (client_mtls.forgives, below)
 *       protocols: [grpc]                 # optional subset of the scenario's protocols
 *       tls: ["1.3"]                      # optional subset of the scenario's TLS versions
 *       check_crl: true                   # optional; default: the scenario's check_crl
 *       engine: nginx                     # optional: node (default, the built-in servers) | openssl |
 *                                         #   nginx | caddy | haproxy | apache | jvm | go (registry.ts);
 *                                         #   what an engine cannot express or serve, or all of it
 *                                         #   when it is not installed, is skipped with the reason
 *     - name: runway                      # per-route client mTLS (Runway): `routes` instead of a mode;
 *       client_mtls:                      #   the listener only requests certificates (mode, if given,
 *         client_auth: verify             #   must be `request`) and each route judges its own requests.
 *         client_ca: root                 # optional: the default of every route ("global"); a route's
 *       routes:                           #   own client_mtls overrides it field by field
 *         - name: payments                # required, unique in the server; cells are "runway/payments"
 *           path: /payments               # required, unique: path prefix the route's cells request
 *           client_mtls:                  # optional (default: the server's client_mtls; none = open)
 *             enabled: true               #   false: no client_mtls on this route (default true)
 *             client_auth: verify         #   verify (default) | require | request, or any mode
 *                                         #   name: optional (verify if given), optional_no_ca, ...
 *             client_ca: unrelated        #   the route's CA pool: root | intermediate | unrelated
 *                                         #   (required when the route verifies)
 *             allow_expired: false        #   skip the expiry check (default false): forgives expired
 *             forgives: [wrong-eku]       #   verification failures let through: untrusted-issuer,
 *                                         #   expired, not-yet-valid, wrong-eku (default none),
 *                                         #   added to a forgiving client_auth's (optional_no_ca:
 *                                         #   untrusted-issuer) and allow_expired's
 *                                         # Routes judge HTTPS and HTTP/2 only: their tls and grpc
 *                                         #   cells are skipped; routes check no CRLs.
 *   identities: [valid, none]             # optional; default: every identity of the PKI
 *   protocols: [tls, https, h2, grpc]     # optional; default: all four
 *   tls: ["1.2", "1.3"]                   # optional; default: both (1.2 / 1.3 as numbers work too)
 *   check_crl: true                       # optional; servers check the PKI's CRLs (default true)
 *   expect:                               # optional explicit expectations; they replace the
 *     - server: strict                    #   oracle's verdict for the cells they select
 *       identity: none                    # selectors (all optional): server, mode, identity,
 *       verdict: rejected                 #   protocol, tls; verdict: accepted | rejected
 *       reason: "the document says so"    # required, non-empty: why
 *
 *   target:                               # instead of servers: a server you run, checked from
 *     url: https://127.0.0.1:8443         #   outside as `matrix --target` does (required)
 *     servername: gateway.internal        # optional: SNI and the name its certificate carries
 *     server_ca: ./gateway-ca.pem         # optional: what clients trust for it (default: the PKI's)
 *     mode: optional_no_ca                # optional: the behaviour it must have (any mode name),
 *     forgives: [expired]                 #   plus what it forgives; without either, it is judged
 *                                         #   against the behaviour its observations fit best
 *     checks_crl: true                    # optional: whether it checks CRLs (default unknown)
 *     trusts_intermediate: false          # optional: also trusts the intermediate (default unknown)
 *     wait: 30                            # optional: seconds to wait for it to accept connections
 *     client_mtls: {client_ca: root}      # a per-route gateway (Runway): its routes, written as
 *     routes:                             #   under servers, each checked over https and h2 at its
 *       - {name: payments, path: /payments, client_mtls: {client_auth: verify}}   # path
 *                                         # With a target: no servers, no check_crl, no expect;
 *                                         #   the PKI (pki.dir) is the one whose client CA it trusts.
 *
 * Rules: every map is strict (an unknown field is an error, so a typo never silently does
 * nothing); the first expectation that selects a cell decides it; an expectation that selects
 * no planned cell, or only cells an earlier one already decides, is an error. An expectation
 * selects a route's cells with `server: runway/payments`.
 */
import { z } from 'zod';
import { MAX_SECONDS, MIN_SECONDS } from '../commands/options.js';
import { ENGINES } from '../engines/registry.js';
import {
  type Behaviour,
  describeBehaviour,
  findBehaviour,
  findForgivable,
  modeNamesHelp,
  unknownForgivableMessage,
} from '../modes.js';
import { KEY_TYPES, MAX_DAYS } from '../pki/types.js';
import { PROTOCOLS, type TlsVersion } from '../servers/types.js';

export const KEYSTORE_FORMATS = ['pem', 'pkcs12'] as const;
export type KeystoreFormat = (typeof KEYSTORE_FORMATS)[number];

/** A behaviour as the scenario spells it (`name`), for messages. */
export type NamedBehaviour = Behaviour & { name: string };

/** Any spelling of a mode, with what a forgiving alias forgives (optional_no_ca). */
const behaviourName = (field: string, hint = '') =>
  z.string().transform((value, ctx): NamedBehaviour => {
    const behaviour = findBehaviour(value);
    if (!behaviour) {
      ctx.addIssue({
        code: 'custom',
        message: `unknown ${field} "${value}"; ${hint}valid modes and aliases: ${modeNamesHelp()}`,
      });
      return z.NEVER;
    }
    return { ...behaviour, name: value.trim() };
  });

/**
 * A mode that selects cells. Cells carry a mode only, so a forgiving alias would also select
 * the servers that forgive nothing; it is refused rather than quietly widened.
 */
const modeSelector = behaviourName('mode').transform((behaviour, ctx) => {
  if (behaviour.forgives.length > 0) {
    ctx.addIssue({
      code: 'custom',
      message: `${behaviour.name} is ${describeBehaviour(behaviour)}, more than a mode, and an expectation selects cells by mode only; select its server instead (server: NAME)`,
    });
    return z.NEVER;
  }
  return behaviour.mode;
});

const forgivable = z.string().transform((value, ctx) => {
  const kind = findForgivable(value);
  if (!kind) {
    ctx.addIssue({ code: 'custom', message: unknownForgivableMessage(value) });
    return z.NEVER;
  }
  return kind;
});
const forgivesList = z.array(forgivable);

/** "1.2" / "1.3", also written as YAML numbers or as TLSv1.3. */
const tlsVersion = z
  .union([z.string(), z.number()], { error: 'expected a TLS version: "1.2" or "1.3"' })
  .transform((value, ctx): TlsVersion => {
    const text = String(value)
      .trim()
      .replace(/^tls\s*v?/i, '');
    if (text === '1.2' || text === '1.3') return text;
    ctx.addIssue({ code: 'custom', message: `unsupported TLS version "${value}"; valid: 1.2, 1.3` });
    return z.NEVER;
  });

const protocol = z.enum(PROTOCOLS as ['tls', 'https', 'h2', 'grpc']);
const serverName = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'a server name uses letters, digits, ".", "_" and "-" only');
/** A server, or one route of it written server/route. */
const cellServerName = z
  .string()
  .regex(
    /^[A-Za-z0-9][A-Za-z0-9._-]*(\/[A-Za-z0-9][A-Za-z0-9._-]*)?$/,
    'a server name uses letters, digits, ".", "_" and "-" only (a route: server/route)',
  );
const nonEmptyText = z.string().trim().min(1);

export const generateSchema = z.strictObject({
  key_type: z.enum(KEY_TYPES).optional(),
  days: z
    .number()
    .int()
    .min(1)
    .max(MAX_DAYS, `at most ${MAX_DAYS} days (100 years), the same bound as gen --days`)
    .optional(),
});

export const pkiSchema = z.strictObject({
  // `generate:` with nothing after it means "generate with the defaults".
  generate: generateSchema.nullable().optional(),
  dir: nonEmptyText.optional(),
  keystores: z.enum(KEYSTORE_FORMATS).optional(),
  p12_password: z.string().optional(),
});

export const TRUST_ANCHORS = ['root', 'intermediate', 'unrelated'] as const;

/** Runway's `client_mtls`, with the CA pool named by which of the PKI's CAs it holds. */
export const clientMtlsSchema = z.strictObject({
  enabled: z.boolean().optional(),
  client_auth: behaviourName('client_auth', "Runway's are verify, require and request; ").optional(),
  client_ca: z.enum(TRUST_ANCHORS).optional(),
  allow_expired: z.boolean().optional(),
  forgives: forgivesList.optional(),
});

export const routeSchema = z.strictObject({
  name: serverName,
  path: z.string().regex(/^\/[^\s?#]*$/, 'a route path starts with "/" and has no spaces, "?" or "#"'),
  client_mtls: clientMtlsSchema.optional(),
});

export const serverSchema = z.strictObject({
  name: serverName,
  // Required unless the server has routes (checked in routes.ts, with the same message).
  mode: behaviourName('mode').optional(),
  // Refused without routes (routes.ts): the built-in servers cannot forgive single failures.
  forgives: forgivesList.optional(),
  protocols: z.array(protocol).min(1).optional(),
  tls: z.array(tlsVersion).min(1).optional(),
  check_crl: z.boolean().optional(),
  engine: z.enum(ENGINES).optional(),
  client_mtls: clientMtlsSchema.optional(),
  routes: z.array(routeSchema).min(1).optional(),
});

/** A server the user runs, checked from outside instead of built-in servers (`matrix --target`). */
export const targetSchema = z.strictObject({
  url: nonEmptyText,
  servername: nonEmptyText.optional(),
  server_ca: nonEmptyText.optional(),
  mode: behaviourName('mode').optional(),
  forgives: forgivesList.optional(),
  checks_crl: z.boolean().optional(),
  trusts_intermediate: z.boolean().optional(),
  wait: z
    .number()
    .min(MIN_SECONDS, `at least ${MIN_SECONDS} seconds, the same bound as --wait`)
    .max(MAX_SECONDS)
    .optional(),
  client_mtls: clientMtlsSchema.optional(),
  routes: z.array(routeSchema).min(1).optional(),
});

export const expectationSchema = z.strictObject({
  server: cellServerName.optional(),
  mode: modeSelector.optional(),
  identity: nonEmptyText.optional(),
  protocol: protocol.optional(),
  tls: tlsVersion.optional(),
  verdict: z.enum(['accepted', 'rejected']),
  reason: nonEmptyText,
});

export const scenarioSchema = z.strictObject({
  name: nonEmptyText,
  description: nonEmptyText.refine((text) => !text.includes('\n'), 'the description is one line'),
  pki: pkiSchema.optional(),
  servers: z.array(serverSchema).min(1).optional(),
  target: targetSchema.optional(),
  identities: z.array(nonEmptyText).min(1).optional(),
  protocols: z.array(protocol).min(1).optional(),
  tls: z.array(tlsVersion).min(1).optional(),
  check_crl: z.boolean().optional(),
  expect: z.array(expectationSchema).optional(),
});

export type RawScenario = z.output<typeof scenarioSchema>;
export type RawExpectation = z.output<typeof expectationSchema>;

/**
 * The fields each map accepts, by path with list indexes written `[]`, for the
 * "unknown field" message.
 */
export const FIELDS_BY_PATH: Record<string, readonly string[]> = {
  '': Object.keys(scenarioSchema.shape),
  pki: Object.keys(pkiSchema.shape),
  'pki.generate': Object.keys(generateSchema.shape),
  'servers[]': Object.keys(serverSchema.shape),
  'servers[].client_mtls': Object.keys(clientMtlsSchema.shape),
  'servers[].routes[]': Object.keys(routeSchema.shape),
  'servers[].routes[].client_mtls': Object.keys(clientMtlsSchema.shape),
  target: Object.keys(targetSchema.shape),
  'target.client_mtls': Object.keys(clientMtlsSchema.shape),
  'target.routes[]': Object.keys(routeSchema.shape),
  'target.routes[].client_mtls': Object.keys(clientMtlsSchema.shape),
  'expect[]': Object.keys(expectationSchema.shape),
};

/** Extra words for a missing required field, by path with indexes written `[]`. */
export const REQUIRED_HINTS: Record<string, string> = {
  name: 'a scenario needs a short name',
  description: 'a scenario needs a one-line description',
  'servers[].name': 'every server needs a unique name',
  'servers[].mode': `every server needs a mode (or routes); valid modes and aliases: ${modeNamesHelp()}`,
  'servers[].routes[].name': 'every route needs a name, unique in its server',
  'servers[].routes[].path': 'every route needs a path prefix such as /payments',
  'target.url': 'a target needs the address of your server: https://HOST:PORT or HOST:PORT',
  'target.routes[].name': 'every route needs a name, unique in the target',
  'target.routes[].path': 'every route needs a path prefix such as /payments',
  'expect[].verdict': 'every expectation needs a verdict: accepted or rejected',
  'expect[].reason': 'every expectation needs a reason saying why the cells it selects get its verdict',
};
