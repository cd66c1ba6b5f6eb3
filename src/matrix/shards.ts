/**
 * Spreads a matrix over the machine's cores. Servers are split into shards (each server
 * with all of its cells, so a shard can link its cells to its servers' views on its own);
 * shard 0 runs in this thread, the others in worker threads. TLS handshakes are CPU-bound
 * and Node runs one thread per event loop, so this is what lets a run use a second core.
 */

import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { Interrupted } from '../errors.js';
import { stage } from '../stages.js';
import type { MatrixPlan } from './plan.js';
import { type RunOptions, runMatrix, serversToStart } from './run.js';
import type { CellResult } from './types.js';

/** Messages from a shard worker. */
export type ShardMessage =
  | { type: 'ready' }
  | { type: 'progress' }
  | { type: 'started'; servers: number }
  | { type: 'done'; cells: CellResult[] }
  | { type: 'interrupted' }
  | { type: 'failed'; message: string; stack?: string };

export interface ShardData {
  options: Omit<RunOptions, 'signal' | 'onProgress' | 'onStarted'>;
}

const WORKER = new URL('./shard-worker.js', import.meta.url);

export function defaultShards(): number {
  return Math.max(1, Math.min(4, availableParallelism()));
}

/**
 * A worker thread first loads the whole program (about as much CPU as a hundred cells' TLS
 * handshakes), so a shard needs that many cells to pay for itself: small runs stay in this
 * thread, whatever the cores.
 */
export const CELLS_PER_SHARD = 100;

/** How many shards a run of `cells` cells uses, at most `wanted`. */
export function shardCount(cells: number, wanted: number): number {
  return Math.max(1, Math.min(wanted, Math.floor(cells / CELLS_PER_SHARD)));
}

/** Split servers into `count` shards with about the same number of cells each. */
export function splitPlan(plan: MatrixPlan, count: number): MatrixPlan[] {
  const shards = Array.from({ length: count }, (): MatrixPlan => ({ servers: [], cells: [] }));
  // A route's cells belong to their shared listener (CellSpec.listener).
  const serverOf = (cell: MatrixPlan['cells'][number]) => cell.listener ?? cell.server;
  const weight = (name: string) => plan.cells.filter((cell) => serverOf(cell) === name).length;
  const servers = [...plan.servers].sort((a, b) => weight(b.name) - weight(a.name));
  for (const server of servers) {
    const lightest = shards.reduce((min, shard) => (shard.cells.length < min.cells.length ? shard : min));
    lightest.servers.push(server);
    lightest.cells.push(...plan.cells.filter((cell) => serverOf(cell) === server.name));
  }
  return shards.filter((shard) => shard.servers.length > 0);
}

export async function runSharded(options: RunOptions & { shards: number }): Promise<CellResult[]> {
  // Worker threads run the built JavaScript; from TypeScript sources (tests) run in-process.
  const count = existsSync(fileURLToPath(WORKER)) ? shardCount(options.plan.cells.length, options.shards) : 1;
  const [local, ...remote] = splitPlan(options.plan, count);
  if (!local) return [];
  let done = 0;
  const total = options.plan.cells.length;
  const progress = () => {
    // The first finished cell is the first sign, from this thread, that every shard's servers run.
    if (done === 0) stage('servers started; cells running');
    options.onProgress?.(++done, total);
  };
  stage(`starting ${serversToStart(options.plan).length} servers`);
  // Started once every shard has started its servers.
  let waiting = remote.length + 1;
  let servers = 0;
  const started = (count: number) => {
    servers += count;
    if (--waiting === 0) options.onStarted?.(servers);
  };
  const concurrency = Math.max(1, Math.ceil(options.concurrency / (remote.length + 1)));
  const results = await Promise.allSettled([
    runMatrix({ ...options, plan: local, concurrency, onProgress: progress, onStarted: started }),
    ...remote.map((plan) => runWorker({ ...options, plan, concurrency }, progress, started)),
  ]);
  const failure = results.find((result) => result.status === 'rejected');
  if (failure) throw failure.reason;
  const cells = results.flatMap((result) => (result.status === 'fulfilled' ? result.value : []));
  return cells.sort((a, b) => a.index - b.index);
}

/**
 * A worker loads for a while (seconds on a busy machine) and then waits for 'go' before it
 * starts anything. Until then it owns nothing, so an abort simply ends the thread; after 'go',
 * an abort asks it to tear its servers down and answer.
 */
function runWorker(
  options: RunOptions,
  onProgress: () => void,
  onStarted: (servers: number) => void,
): Promise<CellResult[]> {
  const { signal, onProgress: _ignored, onStarted: _alsoIgnored, ...data } = options;
  const worker = new Worker(WORKER, { workerData: { options: data } satisfies ShardData });
  let started = false;
  let rejectRun: (error: Error) => void = () => {};
  const abort = () => {
    if (started) worker.postMessage('abort');
    else rejectRun(new Interrupted('matrix run interrupted'));
  };
  return new Promise<CellResult[]>((resolve, reject) => {
    rejectRun = reject;
    signal?.addEventListener('abort', abort, { once: true });
    if (signal?.aborted) abort();
    worker.on('message', (message: ShardMessage) => {
      if (message.type === 'ready') {
        if (signal?.aborted) return;
        started = true;
        worker.postMessage('go');
      } else if (message.type === 'progress') onProgress();
      else if (message.type === 'started') onStarted(message.servers);
      else if (message.type === 'done') resolve(message.cells);
      else if (message.type === 'interrupted') reject(new Interrupted('matrix run interrupted'));
      else reject(Object.assign(new Error(message.message), { stack: message.stack }));
    });
    worker.on('error', reject);
    worker.on('exit', (code) => reject(new Error(`a matrix worker exited early (code ${code})`)));
  }).finally(() => {
    signal?.removeEventListener('abort', abort);
    // The worker tears its servers down before answering; terminate() only reaps the thread.
    void worker.terminate();
  });
}
