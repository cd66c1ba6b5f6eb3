/**
 * Where `writePki` puts each file, relative to the PKI folder. Stable: scripts and scenarios
 * refer to these paths, and manifest.json records them.
 *
 *   manifest.json              what every file is (version 1)
 *   ca/root.crt, .key          root CA (the client CA and the server CA)
 *   ca/intermediate.crt, .key  intermediate CA, issued by the root
 *   ca/unrelated.crt, .key     a CA no server trusts
 *   ca/root.crl                the root's CRL (lists `revoked`)
 *   ca/intermediate.crl        the intermediate's CRL (empty)
 *   crl.pem                    both CRLs, concatenated
 *   truststore.p12             the root CA as a trusted entry (Java trustStore)
 *   server/server.crt, .key, -chain.pem, .p12
 *   clients/NAME.crt, .key, -chain.pem, .p12   one set per identity (none for `none`)
 */
export const MANIFEST_FILE = 'manifest.json';
export const CRL_FILE = 'crl.pem';
export const TRUSTSTORE_FILE = 'truststore.p12';

export type CaName = 'root' | 'intermediate' | 'unrelated';
export const CA_NAMES: readonly CaName[] = ['root', 'intermediate', 'unrelated'];

export const caFiles = (ca: CaName) => ({ cert: `ca/${ca}.crt`, key: `ca/${ca}.key`, crl: `ca/${ca}.crl` });

export interface LeafFiles {
  cert: string;
  key: string;
  chain: string;
  p12: string;
}

export const serverFiles = (): LeafFiles => leafFiles('server', 'server');
export const identityFiles = (name: string): LeafFiles => leafFiles('clients', name);

/**
 * Every path of a PKI whose client identities with a certificate are `clients`, in the order
 * writePki writes them (manifest.json last).
 */
export function layoutPaths(clients: readonly string[]): string[] {
  const leaves = [serverFiles(), ...clients.map(identityFiles)];
  return [
    ...CA_NAMES.flatMap((ca) => [caFiles(ca).cert, caFiles(ca).key]),
    caFiles('root').crl,
    caFiles('intermediate').crl,
    CRL_FILE,
    TRUSTSTORE_FILE,
    ...leaves.flatMap((leaf) => [leaf.cert, leaf.key, leaf.chain, leaf.p12]),
    MANIFEST_FILE,
  ];
}

function leafFiles(folder: string, name: string): LeafFiles {
  return {
    cert: `${folder}/${name}.crt`,
    key: `${folder}/${name}.key`,
    chain: `${folder}/${name}-chain.pem`,
    p12: `${folder}/${name}.p12`,
  };
}
