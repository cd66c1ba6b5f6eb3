/**
 * The manifest: what every file in a PKI folder is. Paths are relative to the folder.
 * `loadPki` trusts the manifest for names, roles and traits, and re-reads every certificate
 * for its facts; the per-certificate facts here are for people and other tools.
 * This is the in-memory model (camelCase, no version); manifest-file.ts writes it as
 * manifest.json version 2 (snake_case) and reads versions 1 and 2.
 */
import { z } from 'zod';
import { CA_NAMES, CRL_FILE, caFiles, identityFiles, serverFiles, TRUSTSTORE_FILE } from './layout.js';
import type { CertificateInfo, IdentityTraits, PkiMaterial } from './types.js';
import { KEY_TYPES } from './types.js';

const certificateSchema = z.object({
  subject: z.string(),
  issuer: z.string(),
  serial: z.string(),
  notBefore: z.string(),
  notAfter: z.string(),
  sha256: z.string(),
  keyType: z.string(),
});

/** What a verifying peer concludes about a certificate: null means it verifies. */
const verdictSchema = z.object({ verifyError: z.string().nullable() });

const traitsSchema = z.object({
  presents: z.boolean(),
  issuer: z.enum(['root', 'intermediate', 'unrelated', 'self']).nullable(),
  sendsIntermediate: z.boolean(),
  chainsToClientCa: z.boolean(),
  validity: z.enum(['current', 'expired', 'not-yet-valid']),
  clientAuthEku: z.boolean(),
  revoked: z.boolean(),
  trustsServer: z.boolean(),
  verifyError: z.string().nullable(),
  verifyErrorWithoutCrl: z.string().nullable(),
}) satisfies z.ZodType<IdentityTraits>;

const caSchema = z.object({
  cert: z.string(),
  key: z.string(),
  crl: z.string().optional(),
  certificate: certificateSchema,
});

const leafFilesSchema = { cert: z.string(), key: z.string(), chain: z.string(), p12: z.string() };

export const manifestSchema = z.object({
  createdAt: z.string(),
  keyType: z.enum(KEY_TYPES),
  p12Password: z.string(),
  serverCa: z.string(),
  clientCa: z.string(),
  crl: z.string(),
  crls: z.array(z.string()),
  truststore: z.string(),
  cas: z.object({ root: caSchema, intermediate: caSchema, unrelated: caSchema }),
  server: z.object({ ...leafFilesSchema, certificate: certificateSchema.extend(verdictSchema.shape) }),
  identities: z.array(
    z.object({
      name: z.string().min(1),
      description: z.string(),
      cert: z.string().optional(),
      key: z.string().optional(),
      chain: z.string().optional(),
      p12: z.string().optional(),
      serverTrust: z.string(),
      traits: traitsSchema,
      certificate: certificateSchema.extend(verdictSchema.shape).optional(),
    }),
  ),
});

export type Manifest = z.infer<typeof manifestSchema>;

function withVerdict(info: CertificateInfo, verifyError: string | null) {
  return { ...info, verifyError };
}

export function buildManifest(pki: PkiMaterial, p12Password: string, createdAt = new Date()): Manifest {
  const root = caFiles('root');
  const unrelated = caFiles('unrelated');
  const cas = Object.fromEntries(
    CA_NAMES.map((name) => {
      const files = caFiles(name);
      return [
        name,
        {
          cert: files.cert,
          key: files.key,
          ...(name === 'unrelated' ? {} : { crl: files.crl }),
          certificate: pki.cas[name].info,
        },
      ];
    }),
  ) as Manifest['cas'];
  return {
    createdAt: createdAt.toISOString(),
    keyType: pki.keyType,
    p12Password,
    serverCa: root.cert,
    clientCa: root.cert,
    crl: CRL_FILE,
    crls: [root.crl, caFiles('intermediate').crl],
    truststore: TRUSTSTORE_FILE,
    cas,
    // A client trusting serverCa verifies the server certificate (purpose sslserver).
    server: { ...serverFiles(), certificate: withVerdict(pki.server.info, null) },
    identities: pki.identities.map((identity) => ({
      name: identity.name,
      description: identity.description,
      ...(identity.cert ? identityFiles(identity.name) : {}),
      serverTrust: identity.serverTrust === pki.cas.root.cert ? root.cert : unrelated.cert,
      traits: identity.traits,
      ...(identity.info ? { certificate: withVerdict(identity.info, identity.traits.verifyError) } : {}),
    })),
  };
}
