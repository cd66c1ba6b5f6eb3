/**
 * The child process behind rsa-key-process.ts: generates RSA key pairs on request and
 * sends them back as DER. A child, not a worker thread, because a key generation in progress
 * cannot be cancelled: only killing the process that runs it stops it at once.
 *
 * Its life belongs to its parent. It ignores the SIGINT and SIGTERM a terminal or `timeout`
 * sends to the whole process group (the parent decides when to stop it, and kills it), and
 * it kills itself the moment the IPC channel closes: when the parent is done with it, and
 * also when the parent dies, however it died (SIGKILL included).
 */
import { generateKeyPair } from 'node:crypto';

export interface RsaKeyRequest {
  id: number;
  modulusLength: number;
}

export type RsaKeyReply = { id: number; spki: Uint8Array; pkcs8: Uint8Array } | { id: number; error: string };

process.on('SIGINT', () => {});
process.on('SIGTERM', () => {});
// SIGKILL, not exit(): exiting waits for the key generations still running on the thread pool.
process.on('disconnect', () => process.kill(process.pid, 'SIGKILL'));

process.on('message', (request: RsaKeyRequest) => {
  generateKeyPair(
    'rsa',
    {
      modulusLength: request.modulusLength,
      publicExponent: 0x10001,
      publicKeyEncoding: { type: 'spki', format: 'der' },
      privateKeyEncoding: { type: 'pkcs8', format: 'der' },
    },
    (error, spki, pkcs8) => {
      const reply: RsaKeyReply = error
        ? { id: request.id, error: error.message }
        : { id: request.id, spki, pkcs8 };
      if (process.connected) process.send?.(reply);
    },
  );
});
