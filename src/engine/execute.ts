/**
 * Executes a plan: binds the work graph (executor.ts) to the registry (ops.ts), the kinds' batched ops
 * and the shared pollers (pollers.ts), over one AppStream api whose
 * mutating calls are bounded by `--parallelism`.
 *
 * Why a bound, and why 4 by default: AppStream publishes no request rates, and its mutating calls
 * throttle early (RequestLimitExceeded comes from EC2 capacity calls behind CreateFleet/StartFleet, and
 * is not retried by the SDK — reference §1.1, §14.3). Four calls in flight keeps a large estate moving
 * without turning every step into a retry loop. The bound is per API call, not per step: a fleet
 * waiting 20 minutes for RUNNING holds no slot, so the others keep going.
 */
import { setMaxListeners } from "node:events";
import { accessOf, type AppStreamApi, type InputOf, type Operation } from "../aws/api.js";
import { callAws, type AwsCallOptions } from "../aws/call.js";
import { errorMessage } from "../aws/errors.js";
import { systemClock, type Clock } from "../aws/retry.js";
import { AppError } from "../core/errors.js";
import type { Plan, Step } from "../core/plan-types.js";
import { BATCHES } from "../kinds/index.js";
import type { BatchDef } from "../kinds/kind.js";
import { convergeRaced, isRaced, SUPERSEDED, type Replanned } from "./converge.js";
import { runGraph, type GraphRunner } from "./executor.js";
import { isWait, OPS, type OpCtx } from "./ops.js";
import { createPollers, type Pollers } from "./pollers.js";
import { Semaphore } from "./pool.js";
import { summarize, type ApplySummary, type Reporter, type RunState } from "./progress.js";
import { runStateOf } from "../kinds/index.js";
import { DEFAULT_WAIT_POLICY, DEFAULT_WAIT_TIMEOUTS, type WaitPolicy, type WaitTimeouts } from "./waiter.js";

/** Ops whose ready steps are grouped into one call (the kinds' `batch`), and the largest group. */
const BATCH_OPS: ReadonlySet<string> = new Set(BATCHES.flatMap((b) => b.ops));
const BATCH_SIZE = Math.min(...BATCHES.map((b) => b.size));
function batchOf(op: string): BatchDef {
  const b = BATCHES.find((x) => x.ops.includes(op));
  if (!b) throw new AppError("internal", `${op} is not a batched op`, { source: "internal" });
  return b;
}

/** Default `--parallelism` (see the file comment). */
export const DEFAULT_PARALLELISM = 4;

/** Everything an apply needs. */
export interface ExecuteCtx {
  /** The api of the plan's region. */
  api: AppStreamApi;
  /** The api of another region (CopyImage is called in the source region); absent = not supported. */
  apiFor?: (region: string) => AppStreamApi;
  /** The plan's region, to know when `apiFor` is needed. */
  region: string;
  clock?: Clock;
  random?: () => number;
  /** Aborted on the first Ctrl-C: no new mutation starts, waits end, calls in flight finish. */
  signal?: AbortSignal;
  /** Aborted on the second Ctrl-C: restores of what the apply stopped are abandoned, the run ends at once. */
  hardSignal?: AbortSignal;
  report: Reporter;
  /** The manifest value at a pointer, for `{ "$secret": pointer }` params. */
  secret: (pointer: string) => string;
  /** Mutating calls in flight at once. */
  parallelism?: number;
  timeouts?: WaitTimeouts;
  waitPolicy?: WaitPolicy;
  /**
   * Plans one declared address again against what is live now (plan-run.ts `replanResource`), for a
   * create that finds its resource already there (converge.ts). Absent: such a create fails.
   */
  replan?: (address: string) => Promise<Replanned>;
  /** Awaited before each step runs; rejects when the step's resource changed since the plan (recheck.ts). */
  recheck?: (step: Step) => Promise<void>;
}

/** An api whose mutating calls each hold a permit; once `signal` aborts, none is sent any more. */
export function limitMutations(api: AppStreamApi, slots: Semaphore, signal?: AbortSignal): AppStreamApi {
  return {
    counter: api.counter,
    async call(op, input, opts) {
      if (accessOf(op) === "read") return api.call(op, input, opts);
      const release = await slots.acquire(signal);
      try {
        return await api.call(op, input, opts);
      } finally {
        release();
      }
    },
  };
}

/** Runs every step of `plan` and returns the summary (outcomes in plan order, counts, duration). */
export async function execute(ctx: ExecuteCtx, plan: Pick<Plan, "steps">): Promise<ApplySummary> {
  const clock = ctx.clock ?? systemClock;
  const slots = new Semaphore(ctx.parallelism ?? DEFAULT_PARALLELISM);
  // Every queued slot request, retry sleep and poll listens to the interrupt signals.
  for (const sig of [ctx.signal, ctx.hardSignal]) if (sig) setMaxListeners(0, sig);
  const seen = new Map<string, { state: string; certain: boolean }>();
  // Wait steps not started yet, per wait kind: the pollers of kinds that gather hold their reads for them.
  const unstarted = new Map<string, Set<string>>();
  for (const s of plan.steps) {
    if (!isWait(s)) continue;
    const kind = String(s.params.kind);
    unstarted.set(kind, (unstarted.get(kind) ?? new Set()).add(s.id));
  }
  const report: Reporter = (e) => {
    if (e.type === "step-start" || e.type === "step-skipped") for (const ids of unstarted.values()) ids.delete(e.id);
    // A run state a wait saw holds until another call on the resource may change it.
    if (e.type === "step-start" && e.op !== "wait") {
      const last = seen.get(e.address);
      if (last) seen.set(e.address, { state: last.state, certain: false });
    }
    if (e.type === "wait" && e.state !== "not visible yet") seen.set(e.address, { state: e.state, certain: false });
    ctx.report(e);
  };
  // The steps of the plan stop at the first Ctrl-C; restores (bringing back what the apply stopped) and
  // the final read of run states only at the second.
  // Which resource each step belongs to: a create after another resource's steps may meet its lag.
  const addressOf = new Map(plan.steps.map((s) => [s.id, s.address]));
  const joining = (kind: string) => (unstarted.get(kind)?.size ?? 0) > 0;
  const main = bindOps(ctx, clock, slots, ctx.signal, report, seen, addressOf, joining, ctx.recheck);
  // A restore brings back what this apply itself stopped: nothing to re-check against the plan.
  const restoring = bindOps(ctx, clock, slots, ctx.hardSignal, report, seen, addressOf, joining);

  // Resources whose create found them already there: the rest of their create is the new plan's.
  const replanned = new Set<string>();
  const converge = (step: Step, err: unknown): Promise<string> => {
    const replan = ctx.replan;
    if (!replan || !isRaced(err)) return Promise.reject(err);
    replanned.add(step.address);
    return convergeRaced({ replan, runStep: main.run, report, now: () => clock.now(), ...(ctx.signal ? { signal: ctx.signal } : {}) }, step, err);
  };

  const runner: GraphRunner = {
    run(step) {
      if (replanned.has(step.address) && !step.id.startsWith(`${step.address}#destroy.`)) return Promise.resolve(SUPERSEDED);
      return main.run(step).catch((err: unknown) => converge(step, err));
    },
    runBatch: (op, steps) => batchOf(op).run({ ...main.base, call: (o, input, opts) => main.callWith(main.api, o, input, opts) }, op, steps),
    batchOps: BATCH_OPS,
    batchSize: BATCH_SIZE,
    isWait,
    runRestoreStep: (step) => restoring.run(step),
  };

  const started = clock.now();
  const graph = { clock, ...(ctx.signal ? { signal: ctx.signal } : {}), ...(ctx.hardSignal ? { hardSignal: ctx.hardSignal } : {}), report };
  const { outcomes, restores } = await runGraph(graph, plan.steps, runner);
  const touched = [...new Set([...outcomes.filter((o) => o.status !== "not-started" && o.status !== "skipped").map((o) => o.address), ...restores.map((r) => r.address)])];
  const runStates = await readRunStates(restoring.pollers, touched, seen, ctx.hardSignal?.aborted === true);
  return summarize(outcomes, clock.now() - started, ctx.signal?.aborted === true, restores, runStates);
}

/** The op registry bound to one interrupt signal: an api whose mutations hold slots, pollers, retries. */
function bindOps(
  ctx: ExecuteCtx, clock: Clock, slots: Semaphore, signal: AbortSignal | undefined, report: Reporter,
  seen: Map<string, { state: string; certain: boolean }>, addressOf: ReadonlyMap<string, string>,
  joining: (kind: string) => boolean, recheck?: (step: Step) => Promise<void>,
) {
  const base = { clock, ...(signal ? { signal } : {}), ...(ctx.random ? { random: ctx.random } : {}) };
  const api = limitMutations(ctx.api, slots, signal);
  const others = new Map<string, AppStreamApi>();
  const apiIn = (region: string): AppStreamApi => {
    if (region === ctx.region) return api;
    if (!ctx.apiFor) throw new AppError("internal", `no client for region ${region}`, { source: "internal" });
    let a = others.get(region);
    if (!a) others.set(region, (a = limitMutations(ctx.apiFor(region), slots, signal)));
    return a;
  };
  const pollers: Pollers = createPollers({ ...base, api: ctx.api, report, policy: ctx.waitPolicy ?? DEFAULT_WAIT_POLICY, joining });
  const timeouts = ctx.timeouts ?? DEFAULT_WAIT_TIMEOUTS;

  const callWith = <O extends Operation>(target: AppStreamApi, op: O, input: InputOf<O>, opts: AwsCallOptions = {}) =>
    callAws({ ...base, api: target }, op, input, {
      ...opts,
      onRetry: (e) =>
        report({
          type: "retry", operation: op, ...(opts.resource ? { resource: opts.resource } : {}),
          error: errorMessage(e.error) || e.kind, attempt: e.attempt, delayMs: e.delayMs,
        }),
    });

  const opCtx = (step: Step): OpCtx => ({
    followsOthers: step.dependsOn.some((id) => addressOf.get(id) !== undefined && addressOf.get(id) !== step.address),
    call: (op, input, opts) => callWith(api, op, input, opts),
    callIn: (region, op, input, opts) => callWith(apiIn(region), op, input, opts),
    wait: async (kind, req) => {
      await pollers.wait(kind, {
        ...req,
        onState: (state, elapsedMs) =>
          report({ type: "wait", id: step.id, address: step.address, kind, name: req.name, state, until: req.until, elapsedMs }),
      });
      seen.set(step.address, { state: req.until, certain: true });
    },
    secret: ctx.secret,
    timeouts,
  });

  const run = (step: Step): Promise<string | undefined> => {
    const fn = OPS[step.op];
    if (!fn) return Promise.reject(new AppError("plan.format", `step ${step.id}: unknown op "${step.op}"`, { source: "user" }));
    if (!recheck) return fn(opCtx(step), step);
    return recheck(step).then(() => fn(opCtx(step), step));
  };
  return { base, api, callWith, pollers, run };
}

/**
 * The run state of every touched resource that has one: what the last wait ended on when nothing has
 * called the resource since, else one Describe per kind for all of them; after a second Ctrl-C, nothing
 * more is read and the last state a wait observed is given as such.
 */
async function readRunStates(pollers: Pollers, touched: readonly string[], seen: ReadonlyMap<string, { state: string; certain: boolean }>, hard: boolean): Promise<RunState[]> {
  const wanted = touched.map((address) => ({ address, of: runStateOf(address) })).filter((w) => w.of !== undefined);
  const toRead = hard ? [] : wanted.filter((w) => !seen.get(w.address)?.certain);
  const read = new Map<string, string>();
  for (const kind of new Set(toRead.map((w) => w.of!.kind))) {
    const names = toRead.filter((w) => w.of!.kind === kind).map((w) => w.of!.name);
    try {
      for (const [name, state] of await pollers.states(kind, names)) read.set(`${kind}|${name}`, state);
    } catch {
      // The summary still says what was last seen; a failed read must not turn a done apply into an error.
    }
  }
  return wanted.map(({ address, of }): RunState => {
    const now = read.get(`${of!.kind}|${of!.name}`);
    if (now !== undefined) return { address, state: now, seen: "read" };
    const last = seen.get(address);
    if (last?.certain) return { address, state: last.state, seen: "waited" };
    return { address, state: last?.state ?? "unknown", seen: "last-seen" };
  });
}
