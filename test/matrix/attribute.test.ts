import { describe, expect, it } from 'vitest';
import { attributeViews } from '../../src/matrix/attribute.js';
import type { ServerView } from '../../src/servers/types.js';

const view = (remotePort: number, acceptedAt = 0): ServerView => ({
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
  it('links each view to the cell on the same server whose client used that source port', () => {
    const views = new Map([
      ['s1', [view(1001), view(1002), view(1003)]],
      ['s2', [view(1001)]],
    ]);
    const attributed = attributeViews(
      [
        { index: 0, server: 's1', localPort: 1001 },
        { index: 1, server: 's1', localPort: 1003 },
        { index: 2, server: 's1' },
        { index: 3, server: 's2', localPort: 1001 },
      ],
      views,
    );
    expect(attributed.get(0)?.map((v) => v.remotePort)).toEqual([1001]);
    expect(attributed.get(1)?.map((v) => v.remotePort)).toEqual([1003]);
    expect(attributed.get(2)).toBeUndefined();
    expect(attributed.get(3)?.map((v) => v.connection)).toEqual([1001]);
  });

  it('gives a view whose source port came round again to the cell that started last before it', () => {
    const views = new Map([['s1', [view(1001, 100), view(1001, 250)]]]);
    const attributed = attributeViews(
      [
        { index: 0, server: 's1', localPort: 1001, startedAt: 90 },
        { index: 1, server: 's1', localPort: 1001, startedAt: 240 },
      ],
      views,
    );
    expect(attributed.get(0)?.map((v) => v.acceptedAt)).toEqual([100]);
    expect(attributed.get(1)?.map((v) => v.acceptedAt)).toEqual([250]);
  });
});
