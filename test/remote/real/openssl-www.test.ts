/**
 * `matrix --target` and `probe` against `openssl s_server -www` in all five modes: a server
 * that serves one connection at a time and waits for a whole HTTP request.
 */
import { describe, it } from 'vitest';
import { MODES } from '../../../src/modes.js';
import { missing, startOpensslWww } from '../../helpers/real-servers/index.js';
import { behaviour, DECIDING, judgeRealServer, usePki } from './judge-real.js';
import { wrongFor } from './wrong-for.js';

const absent = await missing('openssl-www');
const written = usePki(absent);

// Side by side: each case has a server of its own, and most of a case is waiting on it (it serves
// one connection at a time, and discovery waits to see that a second connection is not served).
describe.skipIf(absent !== undefined)('real openssl s_server -www', { concurrent: true }, () => {
  for (const mode of MODES) {
    it(mode, { timeout: 120_000 }, async () => {
      await judgeRealServer(written.pki, {
        behaviour: behaviour(mode),
        wrong: wrongFor(mode),
        checksCrl: false,
        serves: ['1.2', '1.3'],
        // One cell at a time here: the strictest mode alone is judged over every identity and protocol.
        ...(mode === 'require_and_verify_client_cert' ? {} : DECIDING),
        start: () => startOpensslWww({ pkiDir: written.dir, mode, tls: 'both' }),
      });
    });
  }
});
