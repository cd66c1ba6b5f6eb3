/**
 * A bounded work pool. Items that share an exclusive key never run at the same time
 * (the matrix serialises gRPC cells per server, because grpc-js does not expose a
 * connection's local port and the server's views are then told apart by time window).
 */
export interface PoolOptions<T> {
  concurrency: number;
  exclusiveKey?: (item: T) => string | undefined;
  signal?: AbortSignal;
  onDone?: (done: number, total: number) => void;
}

export async function runPool<T, R>(
  items: readonly T[],
  options: PoolOptions<T>,
  work: (item: T) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  const pending = items.map((item, index) => ({ item, index }));
  const busyKeys = new Set<string>();
  let running = 0;
  let done = 0;
  let failure: unknown;

  return new Promise<R[]>((resolve, reject) => {
    const finishIfIdle = () => {
      if (running > 0) return;
      if (failure !== undefined) reject(failure);
      else if (pending.length === 0 || options.signal?.aborted) resolve(results);
    };
    const next = (): { item: T; index: number } | undefined => {
      const at = pending.findIndex(({ item }) => {
        const key = options.exclusiveKey?.(item);
        return key === undefined || !busyKeys.has(key);
      });
      return at < 0 ? undefined : pending.splice(at, 1)[0];
    };
    const fill = () => {
      while (running < options.concurrency && failure === undefined && !options.signal?.aborted) {
        const job = next();
        if (!job) break;
        const key = options.exclusiveKey?.(job.item);
        if (key !== undefined) busyKeys.add(key);
        running++;
        work(job.item)
          .then(
            (result) => {
              results[job.index] = result;
            },
            (error: unknown) => {
              failure ??= error;
            },
          )
          .finally(() => {
            running--;
            done++;
            if (key !== undefined) busyKeys.delete(key);
            options.onDone?.(done, items.length);
            fill();
            finishIfIdle();
          });
      }
    };
    fill();
    finishIfIdle();
  });
}
