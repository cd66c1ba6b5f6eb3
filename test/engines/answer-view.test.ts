/** Reading an engine's JSON answer back as the server's view of the connection. */
import { describe, expect, it } from 'vitest';
import type { ClientResult } from '../../src/clients/types.js';
import { viewFromJson, viewFromOutcome } from '../../src/engines/answer-view.js';
import { go } from '../../src/engines/go.js';
import { jvm } from '../../src/engines/jvm.js';

describe('viewFromJson', () => {
  it('reads what the engine saw', () => {
    expect(
      viewFromJson(
        {
          engine: 'go',
          tlsVersion: 'TLSv1.3',
          alpn: 'h2',
          presented: true,
          subject: 'CN=valid',
          verified: true,
        },
        'go',
      ),
    ).toEqual({ tlsVersion: 'TLSv1.3', alpn: 'h2', presented: true, subject: 'CN=valid', verified: true });
    // No certificate: nothing was verified.
    expect(viewFromJson({ engine: 'jvm', tlsVersion: 'TLSv1.2', presented: false }, 'jvm')).toEqual({
      tlsVersion: 'TLSv1.2',
      presented: false,
    });
    expect(viewFromJson({ engine: 'go', alpn: null, presented: false, verified: false }, 'go')).toEqual({
      alpn: null,
      presented: false,
      verified: null,
    });
  });

  it("ignores anything that is not this engine's answer", () => {
    for (const answer of [
      undefined,
      'HTTP/1.1 200 OK',
      42,
      null,
      { engine: 'jvm', presented: true },
      { engine: 'go' },
    ])
      expect(viewFromJson(answer, 'go')).toBeUndefined();
  });
});

describe('viewFromOutcome', () => {
  const outcome = (answer: unknown): ClientResult => ({
    protocol: 'https',
    handshake: { kind: 'ok' },
    request: { kind: 'ok', status: 'HTTP 200' },
    localPort: 50_123,
    startedAt: 1000,
    endedAt: 1200,
    ...(answer === undefined ? {} : { answer }),
  });

  it("makes a whole view, tied to the client's port, from an engine's answer", () => {
    const view = viewFromOutcome(
      jvm,
      'require_and_verify_client_cert',
      7,
      outcome({
        engine: 'jvm',
        presented: true,
        subject: 'O=x,CN=valid',
        verified: true,
        tlsVersion: 'TLSv1.3',
      }),
    );
    expect(view).toMatchObject({
      connection: 7,
      remotePort: 50_123,
      mode: 'require_and_verify_client_cert',
      protocol: 'https',
      presented: true,
      subject: 'O=x,CN=valid',
      verified: true,
      tlsVersion: 'TLSv1.3',
      decision: 'accepted',
    });
  });

  it('makes none without an answer, or from another engine', () => {
    expect(viewFromOutcome(go, 'no_client_certs', 0, outcome(undefined))).toBeUndefined();
    expect(
      viewFromOutcome(go, 'no_client_certs', 0, outcome({ engine: 'jvm', presented: false })),
    ).toBeUndefined();
  });
});
