/**
 * Shared pollers: every resource of a kind that is waiting at the same time is polled by ONE read per
 * tick (the kind's waiter, e.g. a Describe with the names of all waiting resources), so a large apply
 * spends the account's low read rate once per kind, not once per resource. A name that does not exist
 * may fail the whole read with ResourceNotFound (reference §3.1, §15.1), which is exactly what a GONE
 * wait expects to see, so that answer falls back to the listing without names and reads absence from it.
 */
import type { AppStreamApi } from "../aws/api.js";
import { callAws } from "../aws/call.js";
import { kindOf } from "../aws/errors.js";
import { AppError } from "../core/errors.js";
import { WAITERS } from "../kinds/index.js";
import type { Waiter as KindWaiter } from "../kinds/kind.js";
import type { WaitKind } from "../model/resource.js";
import type { Reporter } from "./progress.js";
import { Backoff, formatDuration, waitFor, type WaitCtx, type WaitPolicy } from "./waiter.js";

/** Resources are identified by name; `GONE` means "Describe no longer returns it". */
export const GONE = "GONE";

/** Consecutive polls a non-fatal problem (fleet errors, a state off the path) is tolerated. */
export const PROBLEM_POLLS = 3;
/** Consecutive polls a resource that should exist may stay invisible (eventual consistency after a create). */
export const MISSING_POLLS = 10;

/** How often a gathering poller checks whether its waits have all joined (no call is made until they have). */
export const GATHER_TICK_MS = 250;

/** Effects of the pollers: the api (reads only), the wait context, the reporter, the delays. */
export interface PollCtx extends WaitCtx {
  api: AppStreamApi;
  report: Reporter;
  policy: WaitPolicy;
  /** Whether waits of `kind` are still to join (their steps not yet started): gathering kinds hold their read. */
  joining?: (kind: WaitKind) => boolean;
}

/** One resource waiting for a state. */
export interface WaitRequest {
  name: string;
  /** A service state (`RUNNING`, `AVAILABLE`, …) or {@link GONE}. */
  until: string;
  timeoutMs: number;
  /** Called when the observed state changes (for progress). */
  onState?: (state: string, elapsedMs: number) => void;
}

interface Waiter extends WaitRequest {
  started: number;
  last?: string;
  problemPolls: number;
  missingPolls: number;
  resolve: () => void;
  reject: (err: unknown) => void;
}

/** One poll loop for one kind; waiters join and leave it at any time. */
class SharedPoller<R> {
  private readonly waiters = new Set<Waiter>();
  private loop: Promise<void> | undefined;
  private ticks = 0;
  private backoff: Backoff;

  constructor(
    private readonly ctx: PollCtx,
    private readonly kind: WaitKind,
    private readonly spec: KindWaiter<R>,
  ) {
    this.backoff = new Backoff(ctx.policy, ctx.random);
    // Reads retry throttling and transient errors with the poll's clock and signal.
    this.api = { ...ctx.api, call: (op, input) => callAws(ctx, op, input) };
  }

  private readonly api: AppStreamApi;

  wait(req: WaitRequest): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.waiters.add({ ...req, started: this.ctx.clock.now(), problemPolls: 0, missingPolls: 0, resolve, reject });
      if (this.loop) this.backoff.reset();
      else this.start();
    });
  }

  private start(): void {
    this.backoff = new Backoff(this.ctx.policy, this.ctx.random);
    this.loop = waitFor(this.ctx, () => this.tick(), { backoff: this.backoff, what: `${this.kind} states` })
      .then(() => undefined, (err: unknown) => {
        // A failed poll (after callAws's retries) or Ctrl-C ends every wait in progress.
        for (const w of this.waiters) w.reject(err);
        this.waiters.clear();
      })
      .finally(() => {
        this.loop = undefined;
        // Someone may have joined between the last tick and now.
        if (this.waiters.size) this.start();
      });
  }

  private async tick(): Promise<true | undefined> {
    if (this.waiters.size === 0) return true;
    if (this.gathering()) {
      // Looks again shortly (no call): the read follows the last join closely.
      this.backoff.hold(GATHER_TICK_MS);
      return undefined;
    }
    // Judge only the waiters this tick asked about: one that joins during the call waits for the next.
    const polled = [...this.waiters];
    const names = [...new Set(polled.map((w) => w.name))];
    this.ctx.report({ type: "poll", kind: this.kind, names, tick: ++this.ticks });
    const seen = new Map((await this.fetch(names)).map((r) => [this.spec.name(r), r]));
    const now = this.ctx.clock.now();
    for (const w of polled) {
      const outcome = this.judge(w, seen.get(w.name), now);
      if (outcome === "wait") continue;
      this.waiters.delete(w);
      if (outcome === "done") w.resolve();
      else w.reject(outcome);
    }
    return this.waiters.size === 0 ? true : undefined;
  }

  /**
   * Whether to hold the read of a gathering kind: more of its waits are still to join, and no waiter has
   * used half its timeout yet (so a wait that could only join after one of these ends never stalls them).
   */
  private gathering(): boolean {
    if (this.spec.gather !== true || this.ctx.joining?.(this.kind) !== true) return false;
    const now = this.ctx.clock.now();
    return [...this.waiters].every((w) => now - w.started < w.timeoutMs / 2);
  }

  /** The current state of each name, read once ({@link GONE} for a name the service no longer lists). */
  async states(names: string[]): Promise<Map<string, string>> {
    const seen = new Map((await this.fetch(names)).map((r) => [this.spec.name(r), this.spec.state(r)]));
    return new Map(names.map((n) => [n, seen.get(n) ?? GONE]));
  }

  private async fetch(names: string[]): Promise<R[]> {
    try {
      return await this.spec.read(this.api, names);
    } catch (err) {
      if (kindOf(err) !== "not-found") throw err;
      const wanted = new Set(names);
      return (await this.spec.read(this.api, undefined)).filter((r) => wanted.has(this.spec.name(r)));
    }
  }

  private judge(w: Waiter, r: R | undefined, now: number): "done" | "wait" | AppError {
    const elapsed = now - w.started;
    const state = r === undefined ? (w.until === GONE ? GONE : "not visible yet") : this.spec.state(r);
    if (state === w.until) return "done";
    // Report each new state on the way; reaching the target is reported as the step being done.
    if (state !== w.last) {
      w.last = state;
      w.onState?.(state, elapsed);
    }
    if (r === undefined) {
      // Not visible yet right after a create (eventual consistency, reference §14.4).
      if (++w.missingPolls >= MISSING_POLLS) return new AppError("apply.failed", `${this.kind} ${w.name} does not exist (waiting for ${w.until})`, { source: "aws" });
    } else {
      w.missingPolls = 0;
      const p = w.until === GONE ? undefined : this.spec.problem(r, w.until);
      w.problemPolls = p ? w.problemPolls + 1 : 0;
      if (p && (p.fatal || w.problemPolls >= PROBLEM_POLLS)) return new AppError("apply.failed", p.message, { source: "aws" });
    }
    if (elapsed >= w.timeoutMs) {
      return new AppError("apply.timeout", `timed out after ${formatDuration(w.timeoutMs)} waiting for ${this.kind} ${w.name} to be ${w.until} (last seen ${state})`, { source: "aws" });
    }
    return "wait";
  }
}

/** The shared pollers of one apply, one per wait kind. */
export interface Pollers {
  wait(kind: WaitKind, req: WaitRequest): Promise<void>;
  /** One read of the current states of `names` (one listing, paginated), outside any wait. */
  states(kind: WaitKind, names: string[]): Promise<Map<string, string>>;
}

/** Creates one shared poller per wait kind the kinds declare (kinds/index.ts `WAITERS`). */
export function createPollers(ctx: PollCtx): Pollers {
  const byKind = new Map<WaitKind, SharedPoller<unknown>>();
  const poller = (kind: WaitKind): SharedPoller<unknown> => {
    let p = byKind.get(kind);
    if (!p) byKind.set(kind, (p = new SharedPoller(ctx, kind, WAITERS[kind])));
    return p;
  };
  return { wait: (kind, req) => poller(kind).wait(req), states: (kind, names) => poller(kind).states(names) };
}
