/** A bounded work pool: results in input order, stops taking work when aborted. */
export interface PoolOptions {
  concurrency: number;
  signal?: AbortSignal;
  onDone?: (done: number, total: number) => void;
}

export async function runPool<T, R>(
  items: readonly T[],
  options: PoolOptions,
  work: (item: T) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  const pending = items.map((item, index) => ({ item, index }));
  let running = 0;
  let done = 0;
  let failure: unknown;

  return new Promise<R[]>((resolve, reject) => {
    const finishIfIdle = () => {
      if (running > 0) return;
      if (failure !== undefined) reject(failure);
      else if (pending.length === 0 || options.signal?.aborted) resolve(results);
    };
    const fill = () => {
      while (running < options.concurrency && failure === undefined && !options.signal?.aborted) {
        const job = pending.shift();
        if (!job) break;
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
