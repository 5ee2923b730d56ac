/**
 * The one polling primitive of appstreamctl (reference §15.2: "a single generic poller — state getter,
 * success/failure predicates, backoff, deadline — rather than bending the SDK's createWaiter"), its
 * backoff, and the per-kind wait timeouts of `--wait-timeout`. The shared per-kind pollers
 * (pollers.ts) are built on {@link waitFor}.
 */
import { abortReason, type Clock } from "../aws/retry.js";
import { AppError } from "../core/errors.js";
import { WAITERS } from "../kinds/index.js";
import type { WaitKind } from "../model/resource.js";

/** Delays between polls: the first poll after `firstDelayMs`, then exponential with full jitter up to a cap. */
export interface WaitPolicy {
  firstDelayMs: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

/**
 * The first poll is immediate, as in the SDK's waiters (reference §15.1), which also makes the emulator
 * at time scale 0 finish at once; then 2 s doubling to 30 s. Transitions take minutes on AWS (fleets up
 * to ~25 min, §3.5), so polling faster only spends the account's low Describe rate.
 */
export const DEFAULT_WAIT_POLICY: WaitPolicy = { firstDelayMs: 0, baseDelayMs: 2000, maxDelayMs: 30_000 };

/** Effects of a wait: the clock, the signal that ends it (Ctrl-C), and the jitter source. */
export interface WaitCtx {
  clock: Clock;
  signal?: AbortSignal;
  /** In [0, 1); defaults to Math.random. */
  random?: () => number;
}

/** Exponential backoff with jitter and a cap; `reset` starts again from the first delay. */
export class Backoff {
  private n = 0;
  private held: number | undefined;

  constructor(
    private readonly policy: WaitPolicy,
    private readonly random: () => number = Math.random,
  ) {}

  /**
   * The delay before the next poll. Jitter keeps it within [½, 1] of the exponential value, which is
   * also held to a sixteenth of the time waited so far (`elapsedMs`): a transition that takes 30 s is
   * seen done at most 2 s late rather than overshot by a 30 s cap, one that takes 20 minutes still polls
   * every 30 s (docs/BENCHMARKS.md has the measurement behind the sixteenth). Pollers are shared per
   * kind, so a denser schedule costs one read per tick, not one per resource.
   */
  next(elapsedMs?: number): number {
    if (this.held !== undefined) {
      const ms = this.held;
      this.held = undefined;
      return ms;
    }
    const n = this.n++;
    if (n === 0) return this.policy.firstDelayMs;
    let exp = Math.min(this.policy.maxDelayMs, this.policy.baseDelayMs * 2 ** (n - 1));
    if (elapsedMs !== undefined) exp = Math.min(exp, Math.max(this.policy.baseDelayMs, elapsedMs / 16));
    return Math.round(exp / 2 + (exp / 2) * this.random());
  }

  /** Polls soon again (e.g. a new resource joined a shared poller). */
  reset(): void {
    this.n = Math.min(this.n, 1);
  }

  /** Makes the next delay exactly `ms`, without moving the backoff on (a poll skipped, not a poll made). */
  hold(ms: number): void {
    this.held = ms;
  }
}

/** Options of {@link waitFor}. */
export interface WaitForOptions {
  backoff: Backoff;
  /** Gives up with `apply.timeout` after this long; no limit when absent. */
  timeoutMs?: number;
  /** What is awaited, for the timeout message, e.g. `fleet engineering to be RUNNING`. */
  what: string;
}

/**
 * Calls `poll` until it returns a value (not undefined), sleeping by the backoff between calls. An
 * error thrown by `poll` ends the wait with that error (failWhen); the signal ends it with the abort
 * reason; the deadline with AppError `apply.timeout`.
 */
export async function waitFor<T>(ctx: WaitCtx, poll: (tick: number) => Promise<T | undefined>, opts: WaitForOptions): Promise<T> {
  const started = ctx.clock.now();
  for (let tick = 1; ; tick++) {
    const delay = opts.backoff.next(ctx.clock.now() - started);
    if (opts.timeoutMs !== undefined && ctx.clock.now() - started + delay > opts.timeoutMs) {
      throw new AppError("apply.timeout", `timed out after ${formatDuration(opts.timeoutMs)} waiting for ${opts.what}`, { source: "aws" });
    }
    // Even a zero delay yields once, so that waits registered together share the first poll.
    await ctx.clock.sleep(delay, ctx.signal);
    if (ctx.signal?.aborted) throw abortReason(ctx.signal);
    const value = await poll(tick);
    if (value !== undefined) return value;
  }
}

/** Longest wait per kind (`--wait-timeout`). */
export type WaitTimeouts = Record<WaitKind, number>;

const MINUTE = 60_000;

/** Each waiter's own default (kinds/*: fleets and builders an hour, images six hours, …). */
export const DEFAULT_WAIT_TIMEOUTS: WaitTimeouts = Object.fromEntries(
  Object.values(WAITERS).map((w) => [w.kind, w.timeoutMs]),
) as WaitTimeouts;

const WAIT_KINDS = Object.keys(DEFAULT_WAIT_TIMEOUTS) as WaitKind[];
const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: MINUTE, h: 60 * MINUTE };

/** Parses `90s`, `30m`, `6h`, `500ms` into milliseconds; undefined when malformed. */
export function parseDuration(text: string): number | undefined {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h)$/.exec(text.trim());
  if (!m) return undefined;
  const ms = Number(m[1]) * (UNIT_MS[m[2] as string] ?? 1);
  return ms > 0 ? ms : undefined;
}

/**
 * Parses `--wait-timeout`: one duration for every kind (`30m`) or per kind (`fleet=60m,image=6h`),
 * unnamed kinds keeping their defaults. Throws AppError `cli.usage` naming the bad part.
 */
export function parseWaitTimeouts(spec: string | undefined): WaitTimeouts {
  const out: WaitTimeouts = { ...DEFAULT_WAIT_TIMEOUTS };
  if (spec === undefined) return out;
  const usage = (why: string) =>
    new AppError("cli.usage", `--wait-timeout ${JSON.stringify(spec)}: ${why} (e.g. 30m, or fleet=60m,image-builder=45m,image=6h)`, { source: "user" });
  if (!spec.includes("=")) {
    const all = parseDuration(spec);
    if (all === undefined) throw usage("expected a duration such as 90s, 30m or 6h");
    for (const k of WAIT_KINDS) out[k] = all;
    return out;
  }
  for (const part of spec.split(",")) {
    const [key = "", value = ""] = part.split("=").map((s) => s.trim());
    if (!(WAIT_KINDS as readonly string[]).includes(key)) throw usage(`unknown kind "${key}"; one of ${WAIT_KINDS.join(", ")}`);
    const ms = parseDuration(value);
    if (ms === undefined) throw usage(`"${value}" is not a duration such as 90s, 30m or 6h`);
    out[key as WaitKind] = ms;
  }
  return out;
}

/** `1h 5m`, `2m 3s`, `4.2s`, `120ms`: for progress lines and the summary. */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)}ms`;
  if (ms < MINUTE) return `${(ms / 1000).toFixed(1)}s`;
  const totalS = Math.round(ms / 1000);
  const h = Math.floor(totalS / 3600);
  const m = Math.floor((totalS % 3600) / 60);
  const s = totalS % 60;
  return h > 0 ? `${h}h ${m}m` : `${m}m ${s}s`;
}
