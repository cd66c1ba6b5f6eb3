/** Reading an engine's JSON answer back as the server's view of the connection. */
import { describe, expect, it } from 'vitest';
import { viewFromJson } from '../../src/engines/json-view.js';

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
