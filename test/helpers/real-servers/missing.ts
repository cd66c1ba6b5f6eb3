/**
 * missing(kind): whether a fixture can run here. Tests skip a kind only on this answer, and
 * CI installs all of them (see .ci/run), so there a skip means a broken install step.
 */
import { execa } from 'execa';
import { OPENSSL_BINARY } from '../../../src/engines/openssl.js';
import { GO_BINARY } from './go.js';
import { JAVA_BINARY } from './jdk.js';
import { NGINX_BINARY } from './nginx.js';
import type { RealServerKind } from './types.js';

const checks: Record<RealServerKind, () => Promise<string | undefined>> = {
  nginx: async () => {
    // nginx -V prints its build flags on stderr; the fixture needs TLS and HTTP/2.
    const result = await run(NGINX_BINARY, ['-V']);
    if (result === undefined) return `nginx is not installed (apt-get install nginx)`;
    for (const module of ['http_ssl_module', 'http_v2_module']) {
      if (!result.includes(`--with-${module}`)) return `nginx was built without ${module}`;
    }
    return undefined;
  },
  'openssl-www': async () =>
    (await run(OPENSSL_BINARY, ['version']))?.startsWith('OpenSSL')
      ? undefined
      : `openssl is not installed (apt-get install openssl)`,
  jdk: async () => {
    const modules = await run(JAVA_BINARY, ['--list-modules']);
    if (modules === undefined) return `java is not installed (apt-get install default-jdk-headless)`;
    // The source launcher (java File.java) compiles with jdk.compiler, which a JRE lacks.
    if (!/^jdk\.compiler@/m.test(modules)) {
      return `java has no jdk.compiler module: a JRE, not a JDK (apt-get install default-jdk-headless)`;
    }
    return undefined;
  },
  'grpc-js': async () => {
    try {
      await import('@grpc/grpc-js');
      return undefined;
    } catch {
      return `@grpc/grpc-js is not installed (npm ci)`;
    }
  },
  go: async () =>
    (await run(GO_BINARY, ['version']))?.startsWith('go version')
      ? undefined
      : `go is not installed (apt-get install golang-go)`,
};

/** stdout and stderr of a command that exited 0, else undefined. */
async function run(command: string, args: string[]): Promise<string | undefined> {
  const result = await execa(command, args, { reject: false, timeout: 30_000, all: true });
  return result.exitCode === 0 ? result.all : undefined;
}

const answers = new Map<RealServerKind, Promise<string | undefined>>();

/** undefined when the kind can run here, else why not (with the package that provides it). */
export function missing(kind: RealServerKind): Promise<string | undefined> {
  let answer = answers.get(kind);
  if (!answer) {
    answer = checks[kind]();
    answers.set(kind, answer);
  }
  return answer;
}
