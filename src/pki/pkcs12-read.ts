/** Reading a PKCS#12 file back: its private keys and certificates as PEM. */
import * as pkijs from 'pkijs';
import { InputError, messageOf } from '../errors.js';
import { toPem } from './keys.js';
import { PKCS12_OIDS, toArrayBuffer } from './pkcs12.js';

export interface Pkcs12Contents {
  /** PKCS#8 PEM private keys. */
  keys: string[];
  /** Certificates in file order (a key entry's leaf comes first). */
  certificates: { pem: string; friendlyName?: string; trusted: boolean }[];
  /** Whether the file carries a password MAC (an integrity check); files without one exist. */
  mac: boolean;
}

function friendlyNameOf(bag: pkijs.SafeBag): string | undefined {
  const attr = bag.bagAttributes?.find((a) => a.type === PKCS12_OIDS.friendlyName);
  const value = attr?.values[0] as { valueBlock?: { value?: string } } | undefined;
  return value?.valueBlock?.value;
}

/**
 * `label` names the file in errors. A wrong password is reported as such: the MAC over the
 * file is checked first, and it only matches with the right password.
 */
export async function readPkcs12(
  data: Uint8Array,
  password: string,
  label = 'PKCS#12 data',
): Promise<Pkcs12Contents> {
  const secret = toArrayBuffer(new TextEncoder().encode(password));
  let pfx: pkijs.PFX;
  try {
    pfx = pkijs.PFX.fromBER(toArrayBuffer(data));
  } catch (error) {
    throw new InputError(`${label} is not a PKCS#12 file (${messageOf(error)})`);
  }
  // Without macData there is nothing to check the password against: the file has no
  // integrity protection, and only its encrypted parts (if any) need the password.
  const mac = pfx.macData !== undefined;
  try {
    await pfx.parseInternalValues({ password: secret, checkIntegrity: mac });
  } catch (error) {
    const message = messageOf(error);
    if (/integrity/i.test(message)) {
      throw new InputError(`${label}: wrong password for this PKCS#12 file (its integrity check failed)`);
    }
    throw new InputError(`${label}: cannot read this PKCS#12 file (${message})`);
  }
  const safe = pfx.parsedValue?.authenticatedSafe;
  if (!safe) throw new InputError(`${label}: the PKCS#12 file holds no content`);
  try {
    await safe.parseInternalValues({ safeContents: safe.safeContents.map(() => ({ password: secret })) });
  } catch (error) {
    if (!mac) {
      throw new InputError(
        `${label}: this PKCS#12 file has no integrity check (MAC), and its contents did not decrypt: wrong password`,
      );
    }
    throw new InputError(`${label}: cannot decrypt this PKCS#12 file (${messageOf(error)})`);
  }
  const contents: Pkcs12Contents = { keys: [], certificates: [], mac };
  for (const part of safe.parsedValue?.safeContents ?? []) {
    for (const bag of part.value.safeBags) await collect(bag, secret, contents, label);
  }
  return contents;
}

async function collect(bag: pkijs.SafeBag, secret: ArrayBuffer, into: Pkcs12Contents, label: string) {
  switch (bag.bagId) {
    case PKCS12_OIDS.shroudedKeyBag: {
      const shrouded = bag.bagValue as pkijs.PKCS8ShroudedKeyBag;
      // Public at run time (pkijs's own examples call it); its typings mark it protected.
      const decryptable = shrouded as unknown as {
        parseInternalValues(p: { password: ArrayBuffer }): Promise<void>;
      };
      try {
        await decryptable.parseInternalValues({ password: secret });
      } catch (error) {
        if (!into.mac)
          throw new InputError(
            `${label}: this PKCS#12 file has no integrity check (MAC), and its private key did not decrypt: wrong password`,
          );
        throw new InputError(`${label}: cannot decrypt the private key (${messageOf(error)})`);
      }
      const info = shrouded.parsedValue;
      if (info) into.keys.push(toPem('PRIVATE KEY', new Uint8Array(info.toSchema().toBER(false))));
      break;
    }
    case PKCS12_OIDS.keyBag:
      into.keys.push(
        toPem('PRIVATE KEY', new Uint8Array((bag.bagValue as pkijs.PrivateKeyInfo).toSchema().toBER(false))),
      );
      break;
    case PKCS12_OIDS.certBag: {
      const cert = (bag.bagValue as pkijs.CertBag).parsedValue;
      if (!(cert instanceof pkijs.Certificate)) break;
      into.certificates.push({
        pem: toPem('CERTIFICATE', new Uint8Array(cert.toSchema().toBER(false))),
        friendlyName: friendlyNameOf(bag),
        trusted: Boolean(bag.bagAttributes?.some((a) => a.type === PKCS12_OIDS.javaTrustedKeyUsage)),
      });
      break;
    }
  }
}
