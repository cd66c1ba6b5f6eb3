/** A worker thread that runs one shard of a matrix (see shards.ts) and reports back. */
import '../quiet-warnings.js';
import { parentPort, workerData } from 'node:worker_threads';
import { Interrupted, messageOf } from '../errors.js';
import { runMatrix } from './run.js';
import type { ShardData, ShardMessage } from './shards.js';

const port = parentPort!;
const { options } = workerData as ShardData;
const controller = new AbortController();
const go = new Promise<void>((resolve) => {
  port.on('message', (message) => {
    if (message === 'go') resolve();
    if (message === 'abort') controller.abort();
  });
});
const send = (message: ShardMessage) => port.postMessage(message);

// Nothing starts before the parent says so: until then it may end this thread at any moment.
send({ type: 'ready' });
await go;
try {
  const cells = await runMatrix({
    ...options,
    signal: controller.signal,
    onProgress: () => send({ type: 'progress' }),
    onStarted: (servers) => send({ type: 'started', servers }),
  });
  send({ type: 'done', cells });
} catch (error) {
  if (error instanceof Interrupted) send({ type: 'interrupted' });
  else
    send({
      type: 'failed',
      message: messageOf(error),
      stack: error instanceof Error ? error.stack : undefined,
    });
} finally {
  port.close();
}
