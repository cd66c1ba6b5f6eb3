/** The rule that turns SIGINT and SIGTERM into an orderly stop or an exit at once. */
import { describe, expect, it } from 'vitest';
import {
  EXIT_CODE_OF,
  SAME_REQUEST_MS,
  type SignalAction,
  signalAction,
  type StopSignal,
} from '../src/interrupt.js';

const at = (name: StopSignal, ms: number) => ({ name, at: ms });

describe('signalAction', () => {
  const cases: [string, ReturnType<typeof at> | undefined, ReturnType<typeof at>, SignalAction][] = [
    ['a first Ctrl-C', undefined, at('SIGINT', 0), 'stop'],
    ['a first SIGTERM', undefined, at('SIGTERM', 0), 'stop'],
    [
      'a SIGTERM right after a SIGTERM (timeout, a group)',
      at('SIGTERM', 0),
      at('SIGTERM', 1),
      'same request',
    ],
    ['a SIGTERM long after a SIGTERM', at('SIGTERM', 0), at('SIGTERM', 60_000), 'same request'],
    [
      'a Ctrl-C right after a Ctrl-C (the group)',
      at('SIGINT', 0),
      at('SIGINT', SAME_REQUEST_MS - 1),
      'same request',
    ],
    ['a Ctrl-C right after a SIGTERM', at('SIGTERM', 0), at('SIGINT', 10), 'same request'],
    ['a Ctrl-C pressed again', at('SIGINT', 0), at('SIGINT', SAME_REQUEST_MS), 'exit now'],
    ['a Ctrl-C after a SIGTERM stop', at('SIGTERM', 0), at('SIGINT', 5_000), 'exit now'],
  ];
  for (const [what, first, signal, action] of cases) {
    it(`${what}: ${action}`, () => expect(signalAction(first, signal)).toBe(action));
  }

  it('exit codes are 128 + the signal number, as a shell reports them', () => {
    expect(EXIT_CODE_OF).toEqual({ SIGINT: 130, SIGTERM: 143 });
  });
});
