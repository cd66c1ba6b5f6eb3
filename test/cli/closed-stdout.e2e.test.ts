/**
 * Output to a closed pipe ends quietly: `URL=$(mtls-lab serve ... | head -n1)` keeps the server
 * serving (its log moves to stderr), and `gen | head -1` finishes its work with no stack trace.
 * Through the built binary; every wait is on an event, bounded by the test's timeout.
 */
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import * as https from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generatePki } from '../../src/pki/generate.js';
import { findIdentity, type PkiMaterial } from '../../src/pki/types.js';
import { writePki } from '../../src/pki/write.js';
import { parseValid } from '../helpers/json-schema.js';

const BIN = new URL('../../bin/mtls-lab.js', import.meta.url).pathname;
const STACK_FRAME = /^\s+at .+:\d+:\d+\)?$/m;

let dir = '';
let pki: PkiMaterial;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mtls-lab-closed-stdout-'));
  pki = await generatePki();
  await writePki(pki, join(dir, 'pki'));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Resolves with the text read so far once it matches `pattern`; rejects if the stream ends first. */
function waitFor(stream: Readable, pattern: RegExp): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = '';
    const onData = (chunk: Buffer) => {
      text += chunk.toString('utf8');
      if (pattern.test(text)) {
        stream.off('data', onData);
        resolve(text);
      }
    };
    stream.on('data', onData);
    stream.once('end', () => reject(new Error(`ended before ${pattern}: ${text}`)));
  });
}

/** One HTTPS request as the `valid` identity; resolves with the status and body. */
function request(url: string): Promise<{ status: number | undefined; body: string }> {
  const valid = findIdentity(pki, 'valid')!;
  return new Promise((resolve, reject) => {
    // The server answers raw TLS without ALPN: ask for HTTP/1.1 (an Agent carries ALPN).
    const agent = new https.Agent({
      ca: pki.serverCa,
      cert: valid.chain,
      key: valid.key,
      ALPNProtocols: ['http/1.1'],
    });
    const req = https.get(url, { agent, timeout: 10_000 }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => {
        agent.destroy();
        resolve({ status: res.statusCode, body });
      });
    });
    req.on('timeout', () => req.destroy(new Error('no answer')));
    req.on('error', reject);
  });
}

describe('stdout closed by its reader', () => {
  it(
    'serve keeps serving and logs to stderr, then stops cleanly on Ctrl-C',
    { timeout: 60_000 },
    async () => {
      const child = execa('node', [BIN, 'serve', '--mode', 'on', '--pki', join(dir, 'pki')], {
        reject: false,
        buffer: false,
        timeout: 50_000,
        env: { NO_COLOR: '1' },
      });
      try {
        const stderr = child.stderr!;
        let errText = '';
        stderr.on('data', (chunk: Buffer) => (errText += chunk.toString('utf8')));
        // `| head -n1`: read the URL, then go away.
        const first = await waitFor(child.stdout!, /\n/);
        const url = first.split('\n')[0]!;
        expect(url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
        child.stdout!.destroy();

        // Twice: the first write after the reader left meets EPIPE, the second finds stdout closed.
        for (let i = 1; i <= 2; i++) {
          const logged = errText.includes(`#${i} `)
            ? Promise.resolve(errText)
            : waitFor(stderr, new RegExp(`#${i} .*accepted CN=valid`));
          const answer = await request(`${url}/`);
          expect(answer.status).toBe(200);
          expect(parseValid('server-view', answer.body)).toMatchObject({ decision: 'accepted' });
          expect(await logged).toMatch(new RegExp(`#${i} .*accepted CN=valid`));
        }

        child.kill('SIGINT');
        const result = await child;
        expect(result.exitCode, errText).toBe(0);
        expect(errText).not.toMatch(/EPIPE|Error:/);
        expect(errText).not.toMatch(STACK_FRAME);
      } finally {
        child.kill('SIGKILL');
      }
    },
  );

  it.each([[[]], [['--json']]])(
    'gen %j finishes its work and exits 0, quietly',
    { timeout: 60_000 },
    async (extra) => {
      const out = join(dir, `gen-${extra.length}`);
      const child = execa('node', [BIN, 'gen', '--out', out, ...extra], {
        reject: false,
        buffer: false,
        timeout: 50_000,
        env: { NO_COLOR: '1' },
      });
      // Closed before gen writes anything: every write it makes meets a closed pipe.
      child.stdout!.destroy();
      let errText = '';
      child.stderr!.on('data', (chunk: Buffer) => (errText += chunk.toString('utf8')));
      const [code] = (await once(child, 'exit')) as [number | null];
      await child;
      expect(code, errText).toBe(0);
      expect(errText).toBe('');
      expect(existsSync(join(out, 'manifest.json'))).toBe(true);
    },
  );
});
