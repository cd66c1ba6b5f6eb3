/** Reading `--server-ca FILE`: the PEM certificate(s) the clients trust for a target. */
import { X509Certificate } from 'node:crypto';
import { resolve } from 'node:path';
import { InputError, messageOf } from '../errors.js';
import { readInputFile } from '../pki/files.js';
import { pemBlocks } from '../pki/pem.js';

export async function readServerCa(path: string): Promise<{ pem: string; source: string }> {
  const file = resolve(path);
  const text = (await readInputFile(file, 'server CA file')).toString('utf8');
  const certificates = pemBlocks(text, 'CERTIFICATE');
  if (certificates.length === 0)
    throw new InputError(`${file} holds no PEM certificate; --server-ca needs the CA certificate(s) in PEM`);
  certificates.forEach((pem, i) => {
    try {
      new X509Certificate(pem);
    } catch (error) {
      throw new InputError(`${file}: certificate ${i + 1} is corrupt: ${messageOf(error)}`);
    }
  });
  return { pem: certificates.join(''), source: `--server-ca ${path}` };
}
