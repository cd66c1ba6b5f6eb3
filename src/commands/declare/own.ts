/** The bring-your-own-identity options, declared once for `matrix` and `probe`. Loads nothing heavy. */
import type { Command } from 'commander';

const collect = (value: string, previous: string[] = []) => [...previous, value];

export function declareOwnIdentityOptions(command: Command): Command {
  return command
    .option(
      '--client-cert <file>',
      'your client certificate (PEM or DER; intermediates after the leaf are sent too); repeatable',
      collect,
    )
    .option(
      '--client-key <file>',
      'its private key; pairs with the --client-cert at the same position (encrypted: $MTLS_LAB_CLIENT_KEY_PASSWORD)',
      collect,
    )
    .option(
      '--name <name>',
      "the identity's name, one per --client-cert in order (default: the certificate's CN)",
      collect,
    )
    .option(
      '--client-ca <file>',
      'the CA(s) the server trusts for client certificates (our servers then trust these instead of the PKI root)',
    )
    .option(
      '--client-crl <file>',
      'CRL(s) of those CAs: our servers check them; for your server, they say who is revoked',
    );
}
