/** What the clients trust for a server whose CA the user did not give. */
import { rootCertificates } from 'node:tls';

/** Node's bundled public CAs, for targets with a publicly issued certificate. */
export function systemRootsPem(): string {
  return rootCertificates.join('\n');
}
