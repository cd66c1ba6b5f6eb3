/** A worker thread that runs one shard of a matrix (see shards.ts) and reports back. */
import '../quiet-warnings.js';
import { parentPort, workerData } from 'node:worker_threads';
import { Interrupted, messageOf } from '../errors.js';
import { runMatrix } from './run.js';
import type { ShardData, ShardMessage } from './shards.js';

const port = parentPort!;
const { options } = workerData as ShardData;
const controller = new AbortController();
port.on('message', (message) => {
  if (message === 'abort') controller.abort();
});
const send = (message: ShardMessage) => port.postMessage(message);

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
