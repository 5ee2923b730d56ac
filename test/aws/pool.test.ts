import { describe, expect, it } from "vitest";
import { mapLimit, Semaphore } from "../../src/engine/pool.js";

/** Tasks that stay in flight until the test resolves them, so concurrency is observed by counting. */
function gate() {
  let inFlight = 0;
  let peak = 0;
  const started: number[] = [];
  const pending = new Map<number, { resolve: (v: number) => void; reject: (e: unknown) => void }>();
  const fn = (item: number) =>
    new Promise<number>((resolve, reject) => {
      inFlight++;
      peak = Math.max(peak, inFlight);
      started.push(item);
      pending.set(item, {
        resolve: (v) => {
          inFlight--;
          resolve(v);
        },
        reject: (e) => {
          inFlight--;
          reject(e);
        },
      });
    });
  const flush = () => new Promise<void>((r) => setImmediate(r));
  return {
    fn,
    started,
    get inFlight() {
      return inFlight;
    },
    get peak() {
      return peak;
    },
    finish: async (item: number, value = item * 10) => {
      pending.get(item)?.resolve(value);
      pending.delete(item);
      await flush();
    },
    fail: async (item: number, err: unknown) => {
      pending.get(item)?.reject(err);
      pending.delete(item);
      await flush();
    },
    flush,
  };
}

describe("mapLimit", () => {
  it("never has more than `limit` calls in flight and keeps results in input order", async () => {
    const g = gate();
    const items = [0, 1, 2, 3, 4, 5, 6];
    const done = mapLimit(items, 3, g.fn);
    await g.flush();
    expect(g.started).toEqual([0, 1, 2]);
    expect(g.inFlight).toBe(3);
    // finish out of order: a freed slot starts the next item, never more than 3 at once
    await g.finish(1);
    expect(g.started).toEqual([0, 1, 2, 3]);
    await g.finish(0);
    await g.finish(3);
    expect(g.inFlight).toBe(3);
    for (const i of [2, 4, 5, 6]) await g.finish(i);
    expect(await done).toEqual([0, 10, 20, 30, 40, 50, 60]);
    expect(g.peak).toBe(3);
  });

  it("with a limit above the item count starts everything, and an empty list resolves to []", async () => {
    const g = gate();
    const done = mapLimit([1, 2], 10, g.fn);
    await g.flush();
    expect(g.inFlight).toBe(2);
    await g.finish(1);
    await g.finish(2);
    expect(await done).toEqual([10, 20]);
    expect(await mapLimit([], 2, g.fn)).toEqual([]);
  });

  it("after a failure starts nothing new, waits for calls in flight, then rejects with the first error", async () => {
    const g = gate();
    const boom = new Error("boom");
    let settled = false;
    // Capture the outcome at once so the rejection is handled while the test keeps stepping.
    const done = mapLimit([0, 1, 2, 3], 2, g.fn).then(
      () => "resolved",
      (e: unknown) => e,
    );
    void done.then(() => {
      settled = true;
    });
    await g.flush();
    await g.fail(0, boom);
    expect(g.started).toEqual([0, 1]);
    expect(settled).toBe(false); // item 1 is still running
    await g.fail(1, new Error("second"));
    expect(await done).toBe(boom);
    expect(g.started).toEqual([0, 1]);
  });

  it("on abort starts nothing new and rejects with the reason once in-flight calls end", async () => {
    const g = gate();
    const controller = new AbortController();
    const done = mapLimit([0, 1, 2, 3], 2, g.fn, { signal: controller.signal }).then(
      () => undefined,
      (e: unknown) => e,
    );
    await g.flush();
    controller.abort(new Error("interrupted"));
    await g.finish(0);
    await g.finish(1);
    expect(await done).toMatchObject({ message: "interrupted" });
    expect(g.started).toEqual([0, 1]);
  });

  it("rejects a limit below 1", async () => {
    await expect(mapLimit([1], 0, async (x) => x)).rejects.toBeInstanceOf(RangeError);
  });
});

describe("Semaphore", () => {
  it("never grants more than its permits and hands over in FIFO order", async () => {
    const sem = new Semaphore(2);
    const order: string[] = [];
    const r1 = await sem.acquire();
    const r2 = await sem.acquire();
    expect(sem.available).toBe(0);
    const w3 = sem.acquire().then((r) => (order.push("c"), r));
    const w4 = sem.acquire().then((r) => (order.push("d"), r));
    await new Promise((r) => setImmediate(r));
    expect(order).toEqual([]);
    expect(sem.waiting).toBe(2);
    r1();
    r1(); // a second release of the same permit changes nothing
    const r3 = await w3;
    expect(order).toEqual(["c"]);
    expect(sem.waiting).toBe(1);
    r2();
    const r4 = await w4;
    expect(order).toEqual(["c", "d"]);
    r3();
    r4();
    expect(sem.available).toBe(2);
  });

  it("use() holds a permit for the call and releases it on failure too; peak in flight ≤ permits", async () => {
    const sem = new Semaphore(3);
    let inFlight = 0;
    let peak = 0;
    const task = (i: number) =>
      sem.use(async () => {
        inFlight++;
        peak = Math.max(peak, inFlight);
        await new Promise((r) => setImmediate(r));
        inFlight--;
        if (i % 4 === 0) throw new Error(`task ${i}`);
        return i;
      });
    const results = await Promise.allSettled(Array.from({ length: 12 }, (_, i) => task(i)));
    expect(peak).toBe(3);
    expect(results.filter((r) => r.status === "rejected")).toHaveLength(3);
    expect(sem.available).toBe(3);
  });

  it("an aborted waiter leaves the queue and the permit goes to the next one", async () => {
    const sem = new Semaphore(1);
    const release = await sem.acquire();
    const controller = new AbortController();
    const aborted = sem.acquire(controller.signal);
    const next = sem.acquire();
    controller.abort(new Error("ctrl-c"));
    await expect(aborted).rejects.toThrow("ctrl-c");
    expect(sem.waiting).toBe(1);
    release();
    const r = await next;
    expect(sem.available).toBe(0);
    r();
    expect(sem.available).toBe(1);
    await expect(sem.acquire(AbortSignal.abort())).rejects.toMatchObject({ name: "AbortError" });
  });

  it("rejects fewer than one permit", () => {
    expect(() => new Semaphore(0)).toThrow(RangeError);
  });
});
