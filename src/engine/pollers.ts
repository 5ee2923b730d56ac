/**
 * Shared pollers (issue #5 "Waiters"): every resource of a kind that is waiting at the same time is
 * polled by ONE Describe call per tick — DescribeFleets with the `Names` of all waiting fleets, likewise
 * DescribeImageBuilders and DescribeImages. A `Names` entry that does not exist fails the whole call
 * with ResourceNotFound (reference §3.1, §15.1), which is exactly what a GONE wait expects to see, so
 * that answer falls back to a listing without names (paginated) and reads absence from it.
 */
import type { Fleet, Image, ImageBuilder } from "@aws-sdk/client-appstream";
import type { AppStreamApi } from "../aws/api.js";
import { callAws } from "../aws/call.js";
import { kindOf } from "../aws/errors.js";
import { collect } from "../aws/paginate.js";
import { AppError } from "../core/errors.js";
import { LISTED, type WaitKind } from "../kinds/steps.js";
import type { Reporter } from "./progress.js";
import { Backoff, formatDuration, waitFor, type WaitCtx, type WaitPolicy } from "./waiter.js";

/** Resources are identified by name; `GONE` means "Describe no longer returns it". */
export const GONE = "GONE";

/** Consecutive polls a non-fatal problem (fleet errors, a state off the path) is tolerated. */
export const PROBLEM_POLLS = 3;
/** Consecutive polls a resource that should exist may stay invisible (eventual consistency after a create). */
export const MISSING_POLLS = 10;

/** What one observation means for a waiter that is not yet satisfied. */
interface Problem {
  message: string;
  /** Fail at once (FAILED), or only after {@link PROBLEM_POLLS} polls in a row. */
  fatal: boolean;
}

/** How one kind is observed. */
interface KindSpec<R> {
  /** Every page of Describe* with these `Names`, or of the whole listing when `names` is undefined. */
  read(ctx: PollCtx, names: string[] | undefined): Promise<R[]>;
  name(r: R): string;
  state(r: R): string;
  problem(r: R, until: string): Problem | undefined;
}

/** Effects of the pollers: the api (reads only), the wait context, the reporter, the delays. */
export interface PollCtx extends WaitCtx {
  api: AppStreamApi;
  report: Reporter;
  policy: WaitPolicy;
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

const named = (names: string[] | undefined) => (names ? { Names: names } : {});

const codes = (errs: ReadonlyArray<{ ErrorCode?: string; ErrorMessage?: string }> | undefined): string =>
  (errs ?? []).map((e) => `${e.ErrorCode ?? "ERROR"}: ${e.ErrorMessage ?? ""}`.trim()).join("; ");

/** The stable state on the other side of the path: seen there, the resource is not heading to `until`. */
const OPPOSITE: Record<string, readonly string[]> = { RUNNING: ["STOPPED"], STOPPED: ["RUNNING"] };

function offPath(kind: string, name: string, state: string, until: string): Problem | undefined {
  return OPPOSITE[until]?.includes(state)
    ? { message: `${kind} ${name} is ${state} while waiting for ${until} (changed outside this apply?)`, fatal: false }
    : undefined;
}

const fleetSpec: KindSpec<Fleet> = {
  read: (ctx, names) =>
    collect(async (token) => {
      const out = await callAws(ctx, "DescribeFleets", { ...named(names), ...(token ? { NextToken: token } : {}) });
      return { items: out.Fleets ?? [], next: out.NextToken };
    }, { label: "DescribeFleets" }),
  name: (f) => f.Name ?? "",
  state: (f) => f.State ?? "UNKNOWN",
  // FleetErrors (e.g. SUBNET_HAS_INSUFFICIENT_IP_ADDRESSES) can clear while instances come up, so they
  // fail the wait only when they persist (reference §15.1 "gaps", §15.2).
  problem: (f, until) =>
    f.FleetErrors?.length && until === "RUNNING"
      ? { message: `fleet ${f.Name} reports errors: ${codes(f.FleetErrors)}`, fatal: false }
      : offPath("fleet", f.Name ?? "", f.State ?? "", until),
};

const builderSpec: KindSpec<ImageBuilder> = {
  read: (ctx, names) =>
    collect(async (token) => {
      const out = await callAws(ctx, "DescribeImageBuilders", { ...named(names), ...(token ? { NextToken: token } : {}) });
      return { items: out.ImageBuilders ?? [], next: out.NextToken };
    }, { label: "DescribeImageBuilders" }),
  name: (b) => b.Name ?? "",
  state: (b) => b.State ?? "UNKNOWN",
  problem(b, until) {
    if (b.State === "FAILED") {
      const why = codes(b.ImageBuilderErrors) || [b.StateChangeReason?.Code, b.StateChangeReason?.Message].filter(Boolean).join(": ");
      return { message: `image builder ${b.Name} FAILED${why ? `: ${why}` : ""}`, fatal: true };
    }
    return offPath("image builder", b.Name ?? "", b.State ?? "", until);
  },
};

const imageSpec: KindSpec<Image> = {
  // Without names only private images: a plan creates and deletes only those; the public catalog is large.
  read: (ctx, names) =>
    collect(async (token) => {
      const out = await callAws(ctx, "DescribeImages", { ...(names ? { Names: names } : { Type: "PRIVATE" }), ...(token ? { NextToken: token } : {}) });
      return { items: out.Images ?? [], next: out.NextToken };
    }, { label: "DescribeImages" }),
  name: (i) => i.Name ?? "",
  state: (i) => i.State ?? "UNKNOWN",
  problem(i) {
    if (i.State !== "FAILED") return undefined;
    const why = [codes(i.ImageErrors), [i.StateChangeReason?.Code, i.StateChangeReason?.Message].filter(Boolean).join(": ")].filter(Boolean).join("; ");
    return { message: `image ${i.Name} FAILED${why ? `: ${why}` : ""}`, fatal: true };
  },
};

/** Users have no name filter (§8.1): one scan of the pool per tick serves every user waiting to be listed. */
const userSpec: KindSpec<{ name: string }> = {
  read: async (ctx) =>
    (await collect(async (token) => {
      const out = await callAws(ctx, "DescribeUsers", { AuthenticationType: "USERPOOL", ...(token ? { NextToken: token } : {}) });
      return { items: out.Users ?? [], next: out.NextToken };
    }, { label: "DescribeUsers" })).map((u) => ({ name: u.UserName ?? "" })),
  name: (u) => u.name,
  state: () => LISTED,
  problem: () => undefined,
};

/** Associations are listed per stack: one ListAssociatedFleets per stack with a waiting association. */
const fleetAssociationSpec: KindSpec<{ name: string }> = {
  async read(ctx, names) {
    const stacks = [...new Set((names ?? []).map((n) => n.slice(0, n.indexOf("/"))))];
    const out: { name: string }[] = [];
    for (const stack of stacks) {
      const fleets = await collect(async (token) => {
        const page = await callAws(ctx, "ListAssociatedFleets", { StackName: stack, ...(token ? { NextToken: token } : {}) });
        return { items: page.Names ?? [], next: page.NextToken };
      }, { label: "ListAssociatedFleets" });
      out.push(...fleets.map((f) => ({ name: `${stack}/${f}` })));
    }
    return out;
  },
  name: (a) => a.name,
  state: () => LISTED,
  problem: () => undefined,
};

/** One poll loop for one kind; waiters join and leave it at any time. */
class SharedPoller<R> {
  private readonly waiters = new Set<Waiter>();
  private loop: Promise<void> | undefined;
  private ticks = 0;
  private backoff: Backoff;

  constructor(
    private readonly ctx: PollCtx,
    private readonly kind: WaitKind,
    private readonly spec: KindSpec<R>,
  ) {
    this.backoff = new Backoff(ctx.policy, ctx.random);
  }

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

  /** The current state of each name, read once ({@link GONE} for a name the service no longer lists). */
  async states(names: string[]): Promise<Map<string, string>> {
    const seen = new Map((await this.fetch(names)).map((r) => [this.spec.name(r), this.spec.state(r)]));
    return new Map(names.map((n) => [n, seen.get(n) ?? GONE]));
  }

  private async fetch(names: string[]): Promise<R[]> {
    try {
      return await this.spec.read(this.ctx, names);
    } catch (err) {
      if (kindOf(err) !== "not-found") throw err;
      const wanted = new Set(names);
      return (await this.spec.read(this.ctx, undefined)).filter((r) => wanted.has(this.spec.name(r)));
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

/** The three shared pollers of one apply. */
export interface Pollers {
  wait(kind: WaitKind, req: WaitRequest): Promise<void>;
  /** One read of the current states of `names` (one Describe call, paginated), outside any wait. */
  states(kind: WaitKind, names: string[]): Promise<Map<string, string>>;
}

/** Creates one shared poller per kind. */
export function createPollers(ctx: PollCtx): Pollers {
  const byKind = {
    fleet: new SharedPoller(ctx, "fleet", fleetSpec),
    "image-builder": new SharedPoller(ctx, "image-builder", builderSpec),
    image: new SharedPoller(ctx, "image", imageSpec),
    user: new SharedPoller(ctx, "user", userSpec),
    "fleet-association": new SharedPoller(ctx, "fleet-association", fleetAssociationSpec),
  } satisfies Record<WaitKind, { wait(req: WaitRequest): Promise<void>; states(names: string[]): Promise<Map<string, string>> }>;
  return { wait: (kind, req) => byKind[kind].wait(req), states: (kind, names) => byKind[kind].states(names) };
}
