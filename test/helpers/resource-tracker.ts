/**
 * Which handles and timers a piece of code created, followed through async_hooks: every
 * resource created inside `scope()` and, transitively, every resource triggered by those
 * (accepted sockets, their timers, ...). Resources the test runner or the test's own clients
 * create are not counted, so "nothing left" can be asserted exactly.
 */
import { AsyncResource, createHook, executionAsyncId } from 'node:async_hooks';

export interface ResourceTracker {
  /** Runs `work` so that what it creates is tracked. */
  scope<T>(work: () => T): T;
  /** Tracked sockets, listeners and timers not destroyed yet, as "TYPE #id". */
  alive(): string[];
  stop(): void;
}

/**
 * Promises are not followed: an `await` on a tracked promise would otherwise pull everything
 * the test does next into the family.
 */
const IGNORED = new Set(['PROMISE']);

/**
 * What can hold a port or keep the process alive: sockets, listeners, timers and pending
 * socket requests. Wrappers such as TLSWRAP or HTTP2SESSION are freed by GC (their destroy
 * event comes late or never) and hold nothing once their TCP handle is closed.
 */
const COUNTED = new Set(['TCPSERVERWRAP', 'TCPWRAP', 'Timeout', 'Immediate', 'SHUTDOWNWRAP', 'WRITEWRAP']);

export function trackResources(): ResourceTracker {
  const root = new AsyncResource('tracked-scope');
  const family = new Set<number>([root.asyncId()]);
  const alive = new Map<number, string>();
  const hook = createHook({
    init(id, type, triggerId) {
      if (IGNORED.has(type)) return;
      if (!family.has(triggerId) && !family.has(executionAsyncId())) return;
      family.add(id);
      if (COUNTED.has(type)) alive.set(id, type);
    },
    destroy(id) {
      alive.delete(id);
    },
  }).enable();
  return {
    scope: (work) => root.runInAsyncScope(work),
    alive: () => [...alive].map(([id, type]) => `${type} #${id}`),
    stop: () => {
      hook.disable();
      root.emitDestroy();
    },
  };
}

/** Polls `check` every 10 ms, at most `rounds` times (1 s by default); returns its last answer. */
export async function eventually(check: () => boolean, rounds = 100): Promise<boolean> {
  for (let i = 0; i < rounds && !check(); i++) await new Promise((resolve) => setTimeout(resolve, 10));
  return check();
}
