/**
 * Executes a plan (issue #5): binds the work graph (executor.ts) to the registry (ops.ts), the batched
 * user associations (batch.ts) and the shared pollers (pollers.ts), over one AppStream api whose
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
import { BATCH_OPS, BATCH_SIZE, runBatch } from "./batch.js";
import { runGraph, type GraphRunner } from "./executor.js";
import { isWait, OPS, type OpCtx } from "./ops.js";
import { createPollers, type Pollers } from "./pollers.js";
import { Semaphore } from "./pool.js";
import { summarize, type ApplySummary, type Reporter } from "./progress.js";
import { DEFAULT_WAIT_POLICY, DEFAULT_WAIT_TIMEOUTS, type WaitPolicy, type WaitTimeouts } from "./waiter.js";

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
  report: Reporter;
  /** The manifest value at a pointer, for `{ "$secret": pointer }` params. */
  secret: (pointer: string) => string;
  /** Mutating calls in flight at once. */
  parallelism?: number;
  timeouts?: WaitTimeouts;
  waitPolicy?: WaitPolicy;
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
  const signal = ctx.signal;
  // Every queued slot request, retry sleep and poll listens to the one interrupt signal.
  if (signal) setMaxListeners(0, signal);
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
  const pollers: Pollers = createPollers({ ...base, api: ctx.api, report: ctx.report, policy: ctx.waitPolicy ?? DEFAULT_WAIT_POLICY });
  const timeouts = ctx.timeouts ?? DEFAULT_WAIT_TIMEOUTS;

  const callWith = <O extends Operation>(target: AppStreamApi, op: O, input: InputOf<O>, opts: AwsCallOptions = {}) =>
    callAws({ ...base, api: target }, op, input, {
      ...opts,
      onRetry: (e) =>
        ctx.report({
          type: "retry", operation: op, ...(opts.resource ? { resource: opts.resource } : {}),
          error: errorMessage(e.error) || e.kind, attempt: e.attempt, delayMs: e.delayMs,
        }),
    });

  const opCtx = (step: Step): OpCtx => ({
    call: (op, input, opts) => callWith(api, op, input, opts),
    callIn: (region, op, input, opts) => callWith(apiIn(region), op, input, opts),
    wait: (kind, req) =>
      pollers.wait(kind, {
        ...req,
        onState: (state, elapsedMs) =>
          ctx.report({ type: "wait", id: step.id, address: step.address, kind, name: req.name, state, until: req.until, elapsedMs }),
      }),
    secret: ctx.secret,
    timeouts,
  });

  const runner: GraphRunner = {
    run(step) {
      const fn = OPS[step.op];
      if (!fn) return Promise.reject(new AppError("plan.format", `step ${step.id}: unknown op "${step.op}"`, { source: "user" }));
      if (!ctx.recheck) return fn(opCtx(step), step);
      return ctx.recheck(step).then(() => fn(opCtx(step), step));
    },
    runBatch: (op, steps) => runBatch({ ...base, call: (o, input, opts) => callWith(api, o, input, opts) }, op, steps),
    batchOps: BATCH_OPS,
    batchSize: BATCH_SIZE,
    isWait,
  };

  const started = clock.now();
  const outcomes = await runGraph({ clock, ...(signal ? { signal } : {}), report: ctx.report }, plan.steps, runner);
  return summarize(outcomes, clock.now() - started, signal?.aborted === true);
}
