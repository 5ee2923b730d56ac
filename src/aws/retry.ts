/**
 * appstreamctl's own bounded retry, for the errors the SDK's standard retry mode leaves to us
 * (reference §1.1, §14.4): RequestLimitExceeded, ThrottlingException after the SDK gave up,
 * ConcurrentModification, and — only when the caller declares them — NotFound right after a create,
 * OperationNotPermitted in a transitional state and InvalidRole during IAM propagation.
 *
 * Exponential backoff with full jitter and a cap (delay = random × min(cap, base × 2^retry)), bounded by
 * attempts and by elapsed time. The clock and the random source are injected so tests run instantly;
 * an AbortSignal ends the wait at once (Ctrl-C).
 */
import { attemptBudgetOf, attemptsOf, isRetryable, kindOf, type ErrorKind, type RetryCondition } from "./errors.js";

/** Time as the engine sees it: injected so that tests never sleep. */
export interface Clock {
  /** Milliseconds since an arbitrary origin. */
  now(): number;
  /** Resolves after `ms`, or rejects with the signal's reason as soon as it aborts. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

/** The reason an aborted signal carries, as an Error (an `AbortError` when it carries none). */
export function abortReason(signal: AbortSignal): Error {
  const r: unknown = signal.reason;
  if (r instanceof Error) return r;
  const e = new Error(typeof r === "string" ? r : "The operation was aborted");
  e.name = "AbortError";
  return e;
}

/** The real clock: `Date.now` and a timer that an AbortSignal cancels. */
export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms, signal) =>
    new Promise<void>((resolve, reject) => {
      if (signal?.aborted) {
        reject(abortReason(signal));
        return;
      }
      const onAbort = (): void => {
        clearTimeout(timer);
        reject(abortReason(signal as AbortSignal));
      };
      const timer = setTimeout(() => {
        signal?.removeEventListener("abort", onAbort);
        resolve();
      }, ms);
      signal?.addEventListener("abort", onAbort, { once: true });
    }),
};

/** How hard to try. */
export interface RetryPolicy {
  /** Total attempts including the first (≥ 1). */
  maxAttempts: number;
  /** Backoff base for the first retry. */
  baseDelayMs: number;
  /** Cap on any single delay. */
  maxDelayMs: number;
  /** No retry starts once this much time has passed since the first attempt. */
  maxElapsedMs: number;
}

/**
 * Throttling and concurrent modification: a handful of attempts, a minute at most. AppStream publishes
 * no request rates (reference §14.3), so the numbers follow the SDK's throttling base of 1 s (§1.1).
 */
export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  maxAttempts: 6,
  baseDelayMs: 1000,
  maxDelayMs: 20_000,
  maxElapsedMs: 60_000,
};

/** Eventual consistency and IAM propagation: "retry with backoff for a few minutes" (reference §14.4). */
export const PROPAGATION_RETRY_POLICY: RetryPolicy = {
  maxAttempts: 12,
  baseDelayMs: 2000,
  maxDelayMs: 30_000,
  maxElapsedMs: 5 * 60_000,
};

/**
 * The delay before retry number `retry` (0 for the first retry): full jitter over an exponentially
 * growing, capped window. `random` returns a value in [0, 1).
 */
export function backoffDelay(retry: number, policy: Pick<RetryPolicy, "baseDelayMs" | "maxDelayMs">, random: number): number {
  const window = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, retry));
  return Math.floor(random * window);
}

/** What the reporter hears before each wait. */
export interface RetryEvent {
  /** The attempt that just failed (1-based). */
  attempt: number;
  kind: ErrorKind;
  error: unknown;
  delayMs: number;
}

/** Effects of a retry loop. */
export interface RetryCtx {
  clock: Clock;
  /** Stops waiting and starts no new attempt once aborted. */
  signal?: AbortSignal;
  /** In [0, 1); defaults to Math.random. */
  random?: () => number;
}

/** Per-call options: which extra conditions apply, and the policy. */
export interface RetryOptions {
  allow?: readonly RetryCondition[];
  policy?: Partial<RetryPolicy>;
  onRetry?: (event: RetryEvent) => void;
}

/**
 * Runs `fn` until it succeeds, fails with an error that is not retryable for this call
 * (errors.ts `isRetryable`), or the policy's attempts or time run out; then rethrows the last error
 * unchanged so the caller can classify and wrap it. `fn` receives the 1-based attempt number.
 * Declaring any `allow` condition switches the default budget to {@link PROPAGATION_RETRY_POLICY},
 * since those conditions clear in minutes, not seconds. An error marked with an attempt budget (the
 * user set AWS_MAX_ATTEMPTS) also ends the loop once the HTTP attempts of every try, the SDK's
 * included, reach it: AWS_MAX_ATTEMPTS=1 means one request per call, whatever the error.
 */
export async function withRetry<T>(ctx: RetryCtx, fn: (attempt: number) => Promise<T>, opts: RetryOptions = {}): Promise<T> {
  const base = opts.allow?.length ? PROPAGATION_RETRY_POLICY : DEFAULT_RETRY_POLICY;
  const policy: RetryPolicy = { ...base, ...opts.policy };
  const random = ctx.random ?? Math.random;
  const started = ctx.clock.now();
  let sent = 0;
  for (let attempt = 1; ; attempt++) {
    if (ctx.signal?.aborted) throw abortReason(ctx.signal);
    try {
      return await fn(attempt);
    } catch (err) {
      const kind = kindOf(err);
      sent += attemptsOf(err);
      const budget = attemptBudgetOf(err);
      if (budget !== undefined && sent >= budget) throw err;
      if (attempt >= policy.maxAttempts || !isRetryable(kind, { allow: opts.allow ?? [] })) throw err;
      const delayMs = backoffDelay(attempt - 1, policy, random());
      if (ctx.clock.now() - started + delayMs > policy.maxElapsedMs) throw err;
      opts.onRetry?.({ attempt, kind, error: err, delayMs });
      await ctx.clock.sleep(delayMs, ctx.signal);
    }
  }
}
