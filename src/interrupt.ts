/**
 * How SIGINT and SIGTERM stop a run. The first one asks for an orderly stop: ctx.signal
 * aborts, every command tears down (servers, children, temporary folders) and the run exits
 * 130 (SIGINT) or 143 (SIGTERM). One request can arrive as two signals: a terminal's Ctrl-C
 * reaches the whole foreground process group, and GNU `timeout` signals the process and then
 * its group. So a signal within SAME_REQUEST_MS of the first is the same request, and so is
 * any later SIGTERM (a supervisor that will not wait sends SIGKILL). Only a Ctrl-C pressed
 * again later, after the notice saying what it does, means "now": exit without cleaning up.
 */
import type { Output } from './output.js';

export const SAME_REQUEST_MS = 500;

export type StopSignal = 'SIGINT' | 'SIGTERM';

/** 128 + the signal's number, as a shell reports a process that a signal ended. */
export const EXIT_CODE_OF: Record<StopSignal, number> = { SIGINT: 130, SIGTERM: 143 };

export interface SignalSeen {
  name: StopSignal;
  /** performance.now() when it was handled. */
  at: number;
}

export type SignalAction = 'stop' | 'same request' | 'exit now';

/** What a signal means, given the first one of the run (if any). */
export function signalAction(first: SignalSeen | undefined, signal: SignalSeen): SignalAction {
  if (!first) return 'stop';
  return signal.name === 'SIGINT' && signal.at - first.at >= SAME_REQUEST_MS ? 'exit now' : 'same request';
}

export interface Interrupt {
  signal: AbortSignal;
  /** 130 after SIGINT, 143 after SIGTERM: the first signal decides. */
  exitCode(): number;
  release(): void;
}

/** Installed before any command loads, so an interrupt at any moment is an orderly stop. */
export function interruptOnSignals(io: Output): Interrupt {
  const controller = new AbortController();
  let first: SignalSeen | undefined;
  const onSignal = (name: StopSignal) => {
    const seen = { name, at: performance.now() };
    const action = signalAction(first, seen);
    if (action === 'stop') {
      first = seen;
      const what = name === 'SIGINT' ? 'Ctrl-C' : name;
      io.note(
        io.e.yellow(`${what}: stopping and cleaning up (Ctrl-C again exits at once, without cleaning up)`),
      );
      controller.abort();
    } else if (action === 'exit now') {
      // Dying of the signal itself is immediate (exit() first waits for the work queued on
      // the thread pool) and tells the shell what happened: it reports 130.
      release();
      process.kill(process.pid, 'SIGINT');
    }
  };
  const onInt = () => onSignal('SIGINT');
  const onTerm = () => onSignal('SIGTERM');
  const release = () => {
    process.off('SIGINT', onInt);
    process.off('SIGTERM', onTerm);
  };
  process.on('SIGINT', onInt);
  process.on('SIGTERM', onTerm);
  return { signal: controller.signal, exitCode: () => EXIT_CODE_OF[first?.name ?? 'SIGINT'], release };
}
