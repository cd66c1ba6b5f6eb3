/** `mtls-lab gen`: write a complete test PKI to a folder, with manifest.json and PKCS#12 bundles. */
import type { CliContext } from '../cli.js';
import { UsageError } from '../errors.js';
import { generatePki, MAX_DAYS } from '../pki/generate.js';
import type { Manifest } from '../pki/manifest.js';
import { manifestText } from '../pki/manifest-file.js';
import { KEY_TYPES, type KeyType } from '../pki/types.js';
import { checkPkiTarget, writePki } from '../pki/write.js';
import { parseChoice, parsePositiveInt } from './options.js';

export interface GenOptions {
  out: string;
  keyType: KeyType;
  days: number;
  hosts: string[];
  force: boolean;
  p12Password: string;
}

export interface GenResult {
  dir: string;
  manifest: Manifest;
  files: string[];
  days: number;
  hosts: string[];
  elapsedMs: number;
}

export async function runGen(options: GenOptions, signal?: AbortSignal): Promise<GenResult> {
  const started = performance.now();
  // An --out that writePki would refuse is refused before seconds of key generation.
  await checkPkiTarget(options.out, options.force);
  const pki = await generatePki(
    { keyType: options.keyType, days: options.days, hosts: options.hosts },
    signal,
  );
  const written = await writePki(pki, options.out, {
    force: options.force,
    p12Password: options.p12Password,
    ...(signal ? { signal } : {}),
  });
  return { ...written, days: options.days, hosts: options.hosts, elapsedMs: performance.now() - started };
}

export function renderGen(result: GenResult, ctx: CliContext): void {
  const { c } = ctx.io;
  const m = result.manifest;
  const seconds = (result.elapsedMs / 1000).toFixed(1);
  ctx.io.line(
    `${c.green('Wrote')} a test PKI (${c.bold(m.keyType)}, ${result.days} days) to ${c.bold(result.dir)} ${c.dim(`in ${seconds} s, ${result.files.length} files`)}`,
  );
  const names = ['localhost', '127.0.0.1', '::1', ...result.hosts].join(', ');
  const row = (label: string, text: string) => ctx.io.line(`  ${c.cyan(label.padEnd(9))}${text}`);
  row('server', `${m.server.cert} + ${m.server.key} ${c.dim(`for ${names}`)}`);
  row(
    'CAs',
    `${m.cas.root.cert} ${c.dim('(trusted for clients and server)')}, ${m.cas.intermediate.cert}, ${m.cas.unrelated.cert}`,
  );
  row('CRLs', `${m.crl} ${c.dim(`(${m.crls.join(' + ')}; the root's lists "revoked")`)}`);
  row(
    'PKCS#12',
    `${m.truststore} ${c.dim('(trust store)')} and a .p12 per key, password ${c.bold(m.p12Password)}`,
  );
  ctx.io.line();
  ctx.io.line(
    c.bold('Identities') +
      c.dim(' — what a server verifying against the root concludes (without → with CRL):'),
  );
  const width = Math.max(...m.identities.map((id) => id.name.length));
  const pathWidth = Math.max(...m.identities.map((id) => (id.cert ?? '').length));
  for (const id of m.identities) {
    // Pad before colouring: escape codes would count towards the width.
    const where = (id.cert ?? '(no certificate)').padEnd(pathWidth);
    ctx.io.line(`  ${id.name.padEnd(width)}  ${id.cert ? where : c.dim(where)}  ${conclusion(id, c)}`);
  }
  ctx.io.line();
  ctx.io.line(
    c.dim(
      `Everything is described in ${result.dir}/manifest.json. Private keys and .p12 files are mode 0600.`,
    ),
  );
}

function conclusion(id: Manifest['identities'][number], c: CliContext['io']['c']): string {
  const { traits } = id;
  if (!traits.presents) return c.dim('sends no certificate');
  const verdict = (code: string | null) => (code === null ? c.green('verifies') : c.red(code));
  const check =
    traits.verifyError === traits.verifyErrorWithoutCrl
      ? verdict(traits.verifyError)
      : `${verdict(traits.verifyErrorWithoutCrl)} → ${verdict(traits.verifyError)}`;
  return traits.trustsServer
    ? check
    : `${check} ${c.yellow('but the client refuses the server (trusts the unrelated CA)')}`;
}

interface RawGenOptions {
  out: string;
  keyType: string;
  days: string;
  host: string[];
  force?: boolean;
  p12Password: string;
  json?: boolean;
}

export function parseGenOptions(raw: RawGenOptions): GenOptions {
  if (raw.p12Password === '')
    throw new UsageError('--p12-password must not be empty (Java cannot open such a keystore)');
  if (raw.out.trim() === '') throw new UsageError('--out needs a folder');
  return {
    out: raw.out,
    keyType: parseChoice(raw.keyType, KEY_TYPES, '--key-type'),
    days: parsePositiveInt(raw.days, '--days', MAX_DAYS),
    hosts: raw.host,
    force: Boolean(raw.force),
    p12Password: raw.p12Password,
  };
}

/** What `mtls-lab gen` does (declared in ./declare/). */
export async function genAction(ctx: CliContext, raw: RawGenOptions): Promise<void> {
  const result = await runGen(parseGenOptions(raw), ctx.signal);
  if (raw.json) ctx.io.data(manifestText(result.manifest));
  else renderGen(result, ctx);
}
