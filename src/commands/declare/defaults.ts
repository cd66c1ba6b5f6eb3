/**
 * Option defaults and choices that `--help` shows, in a module that loads nothing heavy. The
 * command implementations import them from here, so each value has one source.
 */
import { availableParallelism } from 'node:os';
import type { Purpose } from '../../pki/verify-chain.js';

/** Enough in-flight cells to keep both the servers and the clients busy on a small machine. */
export const DEFAULT_CONCURRENCY = Math.min(64, 16 * availableParallelism());
export const DEFAULT_TIMEOUT_MS = 5000;
export const DEFAULT_PROBE_TIMEOUT_MS = 5000;
export const SERVE_HOSTS = ['127.0.0.1', '::1'] as const;
export const PURPOSES: readonly Purpose[] = ['any', 'client', 'server'];
