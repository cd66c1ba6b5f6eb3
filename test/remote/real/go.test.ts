/** `matrix --target` and `probe` against Go's crypto/tls (the `go` engine's server) in all five modes. */
import { afterAll, beforeAll, describe, it } from 'vitest';
import { acquireGoBuild, releaseGoBuild } from '../../../src/engines/go-build.js';
import { MODES } from '../../../src/modes.js';
import { missing, startGoTls } from '../../helpers/real-servers/index.js';
import { behaviour, DECIDING, judgeRealServer, usePki } from './judge-real.js';
import { wrongFor } from './wrong-for.js';

const absent = await missing('go');

// Held for the whole file, so the server program is built once, not once per server. Not
// awaited here: it builds while the PKI is written, and the first start waits for it.
let holdsBuild: Promise<boolean> | undefined;
beforeAll(() => {
  if (!absent)
    holdsBuild = acquireGoBuild().then(
      () => true,
      () => false,
    );
});
afterAll(async () => {
  if (await holdsBuild) await releaseGoBuild();
});
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
        // The strictest mode is judged over every identity and protocol.
        ...(mode === 'require_and_verify_client_cert' ? {} : DECIDING),
        start: () => startGoTls({ pkiDir: written.dir, mode, tls: 'both' }),
      });
    });
  }
});
