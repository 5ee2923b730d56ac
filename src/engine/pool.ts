/**
 * Bounded concurrency: `mapLimit` for reads (tags per resource, associations per stack) and a
 * `Semaphore` for the executor's mutation slots (`--parallelism`; waits do not hold a slot).
 * Both respect an AbortSignal: nothing new starts once it aborts, and work already running is allowed
 * to finish (the first Ctrl-C lets in-flight calls complete).
 */
import { abortReason } from "../aws/retry.js";

function checkLimit(limit: number): void {
  if (!Number.isInteger(limit) || limit < 1) throw new RangeError(`concurrency limit must be a whole number ≥ 1, got ${limit}`);
}

/** Options of {@link mapLimit}. */
export interface MapLimitOptions {
  signal?: AbortSignal;
}

/**
 * Maps `items` through `fn` with at most `limit` calls in flight, results in input order.
 * On the first failure (or abort) no further item starts; the calls in flight are awaited, then the
 * promise rejects with that first error (or the abort reason). Never leaves work running behind it.
 */
export async function mapLimit<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T, index: number) => Promise<R>,
  opts: MapLimitOptions = {},
): Promise<R[]> {
  checkLimit(limit);
  const results = new Array<R>(items.length);
  let next = 0;
  let failed = false;
  let firstError: unknown;
  const fail = (err: unknown): void => {
    if (!failed) {
      failed = true;
      firstError = err;
    }
  };

  const worker = async (): Promise<void> => {
    while (!failed && next < items.length) {
      if (opts.signal?.aborted) {
        fail(abortReason(opts.signal));
        return;
      }
      const index = next++;
      try {
        results[index] = await fn(items[index] as T, index);
      } catch (err) {
        fail(err);
      }
    }
  };

  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  if (failed) throw firstError;
  return results;
}

/** Gives back a permit; calling it more than once has no further effect. */
export type Release = () => void;

interface Waiter {
  grant: (release: Release) => void;
}

/** A counting semaphore with FIFO hand-over and abortable waits. */
export class Semaphore {
  private free: number;
  private readonly queue: Waiter[] = [];

  /** @param permits how many holders at once (≥ 1). */
  constructor(readonly permits: number) {
    checkLimit(permits);
    this.free = permits;
  }

  /** Permits not currently held. */
  get available(): number {
    return this.free;
  }

  /** Callers waiting for a permit. */
  get waiting(): number {
    return this.queue.length;
  }

  /** Waits for a permit. Rejects with the abort reason if `signal` aborts first (the place in line is given up). */
  acquire(signal?: AbortSignal): Promise<Release> {
    if (signal?.aborted) return Promise.reject(abortReason(signal));
    if (this.free > 0) {
      this.free--;
      return Promise.resolve(this.releaser());
    }
    return new Promise<Release>((resolve, reject) => {
      const onAbort = (): void => {
        const i = this.queue.indexOf(waiter);
        if (i >= 0) this.queue.splice(i, 1);
        reject(abortReason(signal as AbortSignal));
      };
      const waiter: Waiter = {
        grant: (release) => {
          signal?.removeEventListener("abort", onAbort);
          resolve(release);
        },
      };
      this.queue.push(waiter);
      signal?.addEventListener("abort", onAbort, { once: true });
    });
  }

  /** Runs `fn` holding a permit, and releases it however `fn` ends. */
  async use<T>(fn: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    const release = await this.acquire(signal);
    try {
      return await fn();
    } finally {
      release();
    }
  }

  private releaser(): Release {
    let done = false;
    return () => {
      if (done) return;
      done = true;
      const waiter = this.queue.shift();
      // Hand the permit straight to the next waiter so a newcomer cannot overtake the queue.
      if (waiter) waiter.grant(this.releaser());
      else this.free++;
    };
  }
}
