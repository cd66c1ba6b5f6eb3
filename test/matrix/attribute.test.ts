import { describe, expect, it } from 'vitest';
import { attributeViews } from '../../src/matrix/attribute.js';
import type { ServerView } from '../../src/servers/types.js';

const view = (remotePort: number, acceptedAt: number): ServerView => ({
  connection: remotePort,
  remotePort,
  acceptedAt,
  mode: 'request_client_cert',
  tlsVersion: 'TLSv1.3',
  alpn: null,
  protocol: null,
  presented: false,
  verified: null,
  verifyError: null,
  decision: 'accepted',
  stage: null,
  reason: '',
});

describe('attributeViews', () => {
  it('matches by source port, and gives gRPC cells the unclaimed views inside their window', () => {
    const views = new Map([
      ['s1', [view(1001, 10), view(1002, 20), view(1003, 21), view(1004, 100)]],
      ['s2', [view(1001, 10)]],
    ]);
    const attributed = attributeViews(
      [
        { index: 0, server: 's1', localPort: 1001, startedAt: 0, endedAt: 50, byWindow: false },
        { index: 1, server: 's1', localPort: 1003, startedAt: 0, endedAt: 50, byWindow: false },
        { index: 2, server: 's1', startedAt: 15, endedAt: 30, byWindow: true },
        { index: 3, server: 's1', startedAt: 60, endedAt: 70, byWindow: true },
        { index: 4, server: 's2', localPort: 1001, startedAt: 0, endedAt: 50, byWindow: false },
      ],
      views,
    );
    expect(attributed.get(0)?.map((v) => v.remotePort)).toEqual([1001]);
    expect(attributed.get(1)?.map((v) => v.remotePort)).toEqual([1003]);
    expect(attributed.get(2)?.map((v) => v.remotePort)).toEqual([1002]);
    expect(attributed.get(3)).toBeUndefined();
    expect(attributed.get(4)?.map((v) => v.connection)).toEqual([1001]);
  });
});
