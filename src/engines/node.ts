/**
 * The `node` engine: the built-in servers (Node's tls, https and http2, and @grpc/grpc-js's
 * framing), in-process. They express every mode exactly and record their own view of each
 * connection, so they need no deviations and no view from the answer.
 */
import { MODE_PROMISES } from '../modes.js';
import { allModes, type EngineDriver } from './types.js';

export const node = {
  name: 'node',
  title: "Node's tls, https and http2 servers (built in)",
  program: null,
  package: null,
  // Node's two switches; what they cannot say is decided after the handshake (servers/decide.ts).
  modes: allModes((mode) => {
    const promise = MODE_PROMISES[mode];
    return `requestCert: ${promise.requests}, rejectUnauthorized: ${promise.requires && promise.verifies}`;
  }),
  protocols: { tls: true, https: true, h2: true, grpc: true },
  crl: true,
  deviations: [],
  unavailable: () => Promise.resolve(undefined),
  async start(options) {
    // Loaded only when a node server runs: the engine table itself stays light.
    const { startServer } = await import('../servers/server.js');
    const server = await startServer({
      mode: options.mode,
      pki: options.pki,
      tls: options.tls,
      checkCrl: options.checkCrl,
      ...(options.routes ? { routes: options.routes } : {}),
    });
    return Object.assign(server, { engine: 'node', portFor: () => server.port });
  },
} as const satisfies EngineDriver<'node'>;
