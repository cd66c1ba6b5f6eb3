/**
 * `mtls-lab inspect FILE...`: what certificates, keys, CRLs and .p12 files hold, and with
 * --ca whether each file's chain verifies (exit code 1 when one does not).
 */
import type { CliContext } from '../cli.js';
import type { CertificateDetails } from '../pki/describe.js';
import { type InspectedFile, type InspectedItem, inspectFiles } from '../pki/inspect.js';
import { inspectDocument } from '../pki/inspect-json.js';
import type { ChainCheck } from '../pki/verify-chain.js';
import { PURPOSES } from './declare/defaults.js';
import { parseChoice } from './options.js';

type Styles = CliContext['io']['c'];

function renderCertificate(
  item: Extract<InspectedItem, { kind: 'certificate' }>,
  index: number,
  ctx: CliContext,
) {
  const { c } = ctx.io;
  const d: CertificateDetails = item.details;
  const row = (label: string, value: string) => ctx.io.line(`    ${c.dim(label.padEnd(12))}${value}`);
  const label = item.friendlyName ? ` ${c.dim(`"${item.friendlyName}"`)}` : '';
  ctx.io.line(`  ${c.bold(`certificate ${index}`)}${label}: ${c.cyan(d.subject)}`);
  row('issuer', d.selfSigned ? `${d.issuer} ${c.dim('(self-signed)')}` : d.issuer);
  const colour = d.validity.state === 'current' ? c.green : c.red;
  row('validity', `${d.notBefore} → ${d.notAfter}  ${colour(d.validity.words)}`);
  if (d.subjectAltNames.length > 0) row('names', d.subjectAltNames.join(', '));
  row('key usage', d.keyUsage.join(', ') || c.dim('(none)'));
  row('ext. usage', d.extendedKeyUsage.join(', ') || c.dim('(none: any purpose)'));
  row('CA', d.ca ? `yes${d.pathLength !== undefined ? `, path length ${d.pathLength}` : ''}` : 'no');
  if (item.trusted) row('trusted', 'yes (Java trustedCertEntry)');
  row('key', d.keyType);
  row('serial', d.serial);
  row('SHA-256', d.sha256);
}

function renderItem(item: InspectedItem, index: number, ctx: CliContext) {
  const { c } = ctx.io;
  switch (item.kind) {
    case 'certificate':
      return renderCertificate(item, index, ctx);
    case 'private-key': {
      const match = item.details.matches
        ? c.green(`matches ${item.details.matches}`)
        : c.dim('no certificate in this file matches it');
      return ctx.io.line(`  ${c.bold('private key')}: ${item.details.keyType}, ${match}`);
    }
    case 'public-key':
      return ctx.io.line(`  ${c.bold('public key')}: ${item.details.keyType}`);
    case 'crl': {
      const d = item.details;
      const validity = d.validity
        ? `  ${(d.validity.state === 'current' ? c.green : c.red)(d.validity.words)}`
        : '';
      ctx.io.line(
        `  ${c.bold('CRL')} from ${c.cyan(d.issuer)}: ${d.thisUpdate} → ${d.nextUpdate ?? '?'}${validity}`,
      );
      if (d.revoked.length === 0) ctx.io.line(`    ${c.dim('revokes nothing')}`);
      for (const entry of d.revoked) {
        ctx.io.line(
          `    revokes serial ${entry.serial} since ${entry.date}${entry.reason ? ` (${entry.reason})` : ''}`,
        );
      }
    }
  }
}

function renderChain(chain: ChainCheck, ca: string, c: Styles): string[] {
  const how = `against ${ca}, purpose ${chain.purpose}, ${chain.checkedCrl ? 'CRLs checked' : 'no CRL check'}`;
  if (chain.ok) return [`  ${c.green('✓ chain verifies')} ${c.dim(`(${how})`)}: ${chain.path.join(' → ')}`];
  const [first, ...rest] = chain.problems;
  const lines = [
    `  ${c.red(`✗ chain does not verify: ${first?.code}`)} ${c.dim(`(${how})`)}`,
    `    at depth ${first?.depth} (${first?.subject}): ${first?.message}`,
  ];
  for (const problem of rest) {
    lines.push(
      c.dim(`    then ${problem.code} at depth ${problem.depth} (${problem.subject}): ${problem.message}`),
    );
  }
  if (rest.length > 0)
    lines.push(c.dim(`    a Node server would report ${chain.nodeReports} (the last error OpenSSL found)`));
  return lines;
}

export function renderInspect(files: InspectedFile[], ca: string | undefined, ctx: CliContext): void {
  const { c } = ctx.io;
  files.forEach((file, fileIndex) => {
    if (fileIndex > 0) ctx.io.line();
    ctx.io.line(`${c.bold(file.path)} ${c.dim(`(${file.format})`)}`);
    let certificates = 0;
    for (const item of file.items) renderItem(item, item.kind === 'certificate' ? ++certificates : 0, ctx);
    for (const note of file.notes) ctx.io.line(`  ${c.yellow(note)}`);
    if (file.chain && ca) for (const line of renderChain(file.chain, ca, c)) ctx.io.line(line);
  });
}

interface RawInspectOptions {
  password?: string;
  ca?: string;
  crl?: string;
  purpose: string;
  json?: boolean;
}

/** What `mtls-lab inspect` does (declared in ./declare/). */
export async function inspectAction(ctx: CliContext, paths: string[], raw: RawInspectOptions): Promise<void> {
  const purpose = parseChoice(raw.purpose, PURPOSES, '--purpose');
  const files = await inspectFiles(paths, {
    ...(raw.password !== undefined ? { password: raw.password } : {}),
    ...(raw.ca ? { ca: raw.ca } : {}),
    ...(raw.crl ? { crl: raw.crl } : {}),
    purpose,
  });
  if (raw.json) ctx.io.data(`${JSON.stringify(inspectDocument(files), null, 2)}\n`);
  else renderInspect(files, raw.ca, ctx);
  if (files.some((file) => file.chain && !file.chain.ok)) ctx.setExitCode(1);
}
