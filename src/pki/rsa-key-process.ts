/**
 * RSA key pairs made in a child process (rsa-key-child.ts), so that an interrupt can abandon
 * them. Finding RSA 4096 primes takes seconds per key and runs on the thread pool, where it
 * cannot be cancelled, and a process does not exit while its thread pool is busy: Ctrl-C
 * during `gen --key-type rsa-4096` would otherwise wait for every key. Killing the child
 * stops the work at once. One child per PKI, started on the first RSA key, so an ECDSA PKI
 * never pays for it.
 */
import { type ChildProcess, fork } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { RsaKeyReply, RsaKeyRequest } from './rsa-key-child.js';

const CHILD = fileURLToPath(new URL('./rsa-key-child.js', import.meta.url));

export interface RsaKeyDer {
  spki: Uint8Array;
  pkcs8: Uint8Array;
}

interface Waiting {
  resolve(der: RsaKeyDer): void;
  reject(error: Error): void;
}

export class RsaKeyProcess {
  private child?: ChildProcess;
  private nextId = 1;
  private readonly waiting = new Map<number, Waiting>();
  private failure?: Error;

  /** The child runs the built JavaScript; from TypeScript sources (tests) keys are made in-process. */
  static available(): boolean {
    return existsSync(CHILD);
  }

  generate(modulusLength: number): Promise<RsaKeyDer> {
    if (this.failure) return Promise.reject(this.failure);
    const child = (this.child ??= this.start());
    const id = this.nextId++;
    return new Promise<RsaKeyDer>((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      child.send({ id, modulusLength } satisfies RsaKeyRequest);
    });
  }

  /** Kills the child at once; every key not yet delivered is rejected with `reason`. */
  stop(reason: Error): void {
    this.fail(reason);
    this.child?.kill('SIGKILL');
  }

  private start(): ChildProcess {
    const child = fork(CHILD, [], {
      // Not the parent's flags: an --inspect port, for one, cannot be shared.
      execArgv: [],
      serialization: 'advanced',
      stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
    });
    child.on('message', (reply: RsaKeyReply) => {
      const waiting = this.waiting.get(reply.id);
      if (!waiting) return;
      this.waiting.delete(reply.id);
      if ('error' in reply) waiting.reject(new Error(`RSA key generation failed: ${reply.error}`));
      else waiting.resolve(reply);
    });
    child.on('error', (error) => this.fail(error));
    child.on('exit', (code, signal) =>
      this.fail(
        new Error(`the RSA key process ended (${signal ?? `exit ${code}`}) before every key was made`),
      ),
    );
    return child;
  }

  private fail(error: Error): void {
    this.failure ??= error;
    for (const waiting of this.waiting.values()) waiting.reject(this.failure);
    this.waiting.clear();
  }
}
