/** `matrix --target` and `probe` against Go's crypto/tls (the `go` engine's server) in all five modes. */
import { describe, it } from 'vitest';
import { MODES } from '../../../src/modes.js';
import { missing, startGoTls } from '../../helpers/real-servers/index.js';
import { behaviour, judgeRealServer, usePki } from './judge-real.js';
import { wrongFor } from './wrong-for.js';

const absent = await missing('go');
const written = usePki(absent);

describe.skipIf(absent !== undefined)('real Go crypto/tls', () => {
  for (const mode of MODES) {
    it(mode, { timeout: 120_000 }, async () => {
      await judgeRealServer(written.pki, {
        behaviour: behaviour(mode),
        wrong: wrongFor(mode),
        checksCrl: false,
        serves: ['1.2', '1.3'],
        // The server answers the gRPC health check by hand over HTTP/2.
        servesGrpc: true,
        start: () => startGoTls({ pkiDir: written.dir, mode, tls: 'both' }),
      });
    });
  }
});
