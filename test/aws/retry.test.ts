import {
  ConcurrentModificationException,
  InvalidParameterCombinationException,
  LimitExceededException,
  RequestLimitExceededException,
  ResourceNotFoundException,
} from "@aws-sdk/client-appstream";
import { describe, expect, it } from "vitest";
import { markAttemptBudget, toAppError } from "../../src/aws/errors.js";
import {
  backoffDelay,
  DEFAULT_RETRY_POLICY,
  PROPAGATION_RETRY_POLICY,
  systemClock,
  withRetry,
  type Clock,
  type RetryEvent,
} from "../../src/aws/retry.js";

/** A clock whose sleep advances time instantly and records every delay. */
function fakeClock(): Clock & { sleeps: number[]; t: number } {
  const c = {
    t: 0,
    sleeps: [] as number[],
    now: () => c.t,
    sleep: async (ms: number, signal?: AbortSignal) => {
      if (signal?.aborted) throw signal.reason;
      c.sleeps.push(ms);
      c.t += ms;
    },
  };
  return c;
}

const meta = { $metadata: { httpStatusCode: 400 } };
const rle = () => new RequestLimitExceededException({ message: "EC2 throttled", ...meta });

/** fn that fails with the given errors in turn, then returns "ok". */
function failing(errors: Error[]): { fn: (attempt: number) => Promise<string>; attempts: number[] } {
  const attempts: number[] = [];
  return {
    attempts,
    fn: async (attempt) => {
      attempts.push(attempt);
      const err = errors[attempts.length - 1];
      if (err) throw err;
      return "ok";
    },
  };
}

describe("backoffDelay", () => {
  const policy = { baseDelayMs: 100, maxDelayMs: 1000 };
  it("grows exponentially, is capped, and scales with the random draw (full jitter)", () => {
    expect([0, 1, 2, 3, 4, 10].map((r) => backoffDelay(r, policy, 0.999999))).toEqual([99, 199, 399, 799, 999, 999]);
    expect(backoffDelay(3, policy, 0)).toBe(0);
    expect(backoffDelay(3, policy, 0.5)).toBe(400);
  });
});

describe("withRetry", () => {
  it("retries RequestLimitExceeded and ConcurrentModification, then returns the result", async () => {
    const clock = fakeClock();
    const { fn, attempts } = failing([rle(), new ConcurrentModificationException({ message: "wait", ...meta })]);
    const events: RetryEvent[] = [];
    const out = await withRetry({ clock, random: () => 0.5 }, fn, { onRetry: (e) => events.push(e) });
    expect(out).toBe("ok");
    expect(attempts).toEqual([1, 2, 3]);
    expect(events.map((e) => [e.attempt, e.kind, e.delayMs])).toEqual([
      [1, "throttled", 500],
      [2, "concurrent-modification", 1000],
    ]);
    expect(clock.sleeps).toEqual([500, 1000]);
  });

  it("stops after maxAttempts and rethrows the last error unchanged", async () => {
    const clock = fakeClock();
    const errors = Array.from({ length: 10 }, rle);
    const { fn, attempts } = failing(errors);
    await expect(withRetry({ clock, random: () => 0 }, fn, { policy: { maxAttempts: 4 } })).rejects.toBe(errors[3]);
    expect(attempts).toEqual([1, 2, 3, 4]);
    expect(clock.sleeps).toHaveLength(3);
  });

  it("keeps every delay within [0, min(cap, base·2^retry)) for any random draw", async () => {
    for (const r of [0, 0.1, 0.37, 0.5, 0.9, 0.999999]) {
      const clock = fakeClock();
      const { fn } = failing(Array.from({ length: DEFAULT_RETRY_POLICY.maxAttempts - 1 }, rle));
      expect(await withRetry({ clock, random: () => r }, fn, {})).toBe("ok");
      expect(clock.sleeps).toHaveLength(DEFAULT_RETRY_POLICY.maxAttempts - 1);
      clock.sleeps.forEach((ms, i) => {
        const window = Math.min(DEFAULT_RETRY_POLICY.maxDelayMs, DEFAULT_RETRY_POLICY.baseDelayMs * 2 ** i);
        expect(ms).toBeGreaterThanOrEqual(0);
        expect(ms).toBeLessThan(window);
      });
    }
  });

  it("stops when the next wait would pass maxElapsedMs", async () => {
    const clock = fakeClock();
    const { fn, attempts } = failing(Array.from({ length: 20 }, rle));
    const policy = { maxAttempts: 20, baseDelayMs: 1000, maxDelayMs: 1000, maxElapsedMs: 2500 };
    await expect(withRetry({ clock, random: () => 0.999 }, fn, { policy })).rejects.toBeInstanceOf(RequestLimitExceededException);
    expect(clock.sleeps).toEqual([999, 999]);
    expect(attempts).toHaveLength(3);
  });

  it("fails fast on errors that are not retryable: validation, and quota (the SDK already retried it)", async () => {
    for (const err of [
      new InvalidParameterCombinationException({ message: "bad", ...meta }),
      new LimitExceededException({ message: "quota", ...meta }),
    ]) {
      const clock = fakeClock();
      const { fn, attempts } = failing([err]);
      await expect(withRetry({ clock }, fn, {})).rejects.toBe(err);
      expect(attempts).toEqual([1]);
      expect(clock.sleeps).toEqual([]);
    }
  });

  it("retries NotFound only when the caller declares not-found-after-create, with the propagation budget", async () => {
    const notFound = () => new ResourceNotFoundException({ message: "role", $metadata: { httpStatusCode: 404 } });
    const undeclared = failing([notFound()]);
    await expect(withRetry({ clock: fakeClock() }, undeclared.fn)).rejects.toBeInstanceOf(ResourceNotFoundException);
    expect(undeclared.attempts).toEqual([1]);

    const clock = fakeClock();
    const declared = failing(Array.from({ length: 30 }, notFound));
    await expect(withRetry({ clock, random: () => 0 }, declared.fn, { allow: ["not-found-after-create"] })).rejects.toBeInstanceOf(
      ResourceNotFoundException,
    );
    expect(declared.attempts).toHaveLength(PROPAGATION_RETRY_POLICY.maxAttempts);
  });

  it("classifies errors already wrapped by toAppError", async () => {
    const { fn, attempts } = failing([toAppError(rle(), { operation: "StartFleet", resource: "Fleet/f" })]);
    expect(await withRetry({ clock: fakeClock(), random: () => 0 }, fn)).toBe("ok");
    expect(attempts).toEqual([1, 2]);
  });

  it("an abort during the wait stops at once with the abort reason, and no further attempt starts", async () => {
    const controller = new AbortController();
    const reason = new Error("interrupted");
    const clock: Clock = {
      now: () => 0,
      sleep: (_ms, signal) =>
        new Promise((_resolve, reject) => {
          signal?.addEventListener("abort", () => reject(signal.reason));
          controller.abort(reason);
        }),
    };
    const { fn, attempts } = failing(Array.from({ length: 5 }, rle));
    await expect(withRetry({ clock, signal: controller.signal }, fn)).rejects.toBe(reason);
    expect(attempts).toEqual([1]);
  });

  it("does not start when the signal is already aborted", async () => {
    const controller = new AbortController();
    controller.abort();
    const { fn, attempts } = failing([]);
    await expect(withRetry({ clock: fakeClock(), signal: controller.signal }, fn)).rejects.toMatchObject({ name: "AbortError" });
    expect(attempts).toEqual([]);
  });
});

describe("systemClock.sleep", () => {
  it("rejects as soon as the signal aborts, with its reason", async () => {
    const controller = new AbortController();
    const pending = systemClock.sleep(60_000, controller.signal);
    controller.abort(new Error("stop"));
    await expect(pending).rejects.toThrow("stop");
  });

  it("rejects immediately for an already-aborted signal and resolves a zero wait", async () => {
    await expect(systemClock.sleep(0)).resolves.toBeUndefined();
    await expect(systemClock.sleep(10, AbortSignal.abort())).rejects.toMatchObject({ name: "AbortError" });
  });
});

describe("withRetry with an attempt budget (AWS_MAX_ATTEMPTS set)", () => {
  it("counts the SDK's attempts of each try and stops when the budget is used", async () => {
    const clock = fakeClock();
    let tries = 0;
    const fail = (sdkAttempts: number) => {
      const e = Object.assign(new Error("slow down"), { name: "ThrottlingException", $metadata: { attempts: sdkAttempts } });
      markAttemptBudget(e, 4);
      return e;
    };
    const err = await withRetry({ clock, random: () => 0 }, async () => {
      tries++;
      throw fail(2);
    }).catch((e: unknown) => e);
    // Two tries of two SDK attempts each reach the budget of four.
    expect([tries, (err as Error).message, clock.sleeps.length]).toEqual([2, "slow down", 1]);
  });
});
