/**
 * `matrix --target` and `probe` against `openssl s_server -www` in all five modes: a server
 * that serves one connection at a time and waits for a whole HTTP request.
 */
import { describe, it } from 'vitest';
import { MODES } from '../../../src/modes.js';
import { missing, startOpensslWww } from '../../helpers/real-servers/index.js';
import { behaviour, judgeRealServer, usePki } from './judge-real.js';
import { wrongFor } from './wrong-for.js';

const absent = await missing('openssl-www');
const written = usePki(absent);

describe.skipIf(absent !== undefined)('real openssl s_server -www', () => {
  for (const mode of MODES) {
    it(mode, { timeout: 120_000 }, async () => {
      await judgeRealServer(written.pki, {
        behaviour: behaviour(mode),
        wrong: wrongFor(mode),
        checksCrl: false,
        serves: ['1.2', '1.3'],
        start: () => startOpensslWww({ pkiDir: written.dir, mode, tls: 'both' }),
      });
    });
  }
});
