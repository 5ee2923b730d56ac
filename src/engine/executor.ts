/**
 * The work graph of an apply: a step starts as soon as every step it depends on is done;
 * a failed step's dependents are skipped while independent steps run to the end; after an abort
 * (first Ctrl-C) nothing new starts and what is running is allowed to finish. How many mutating calls
 * are in flight is bounded below this level, per API call (execute.ts), so waits never hold a slot.
 *
 * A step carrying a `restore` (a running fleet's stop) guards the steps after it: if one of them fails, or
 * an interrupt leaves them unfinished, its restore runs (restore.ts) — after the first Ctrl-C too, since it
 * brings back what this apply took out of service; a second Ctrl-C ends the graph at once and reports the
 * restores it abandoned.
 *
 * Batched ops (user associations) that become ready are grouped: a group is sent when it is full, or
 * once no other step of its op is still pending (or nothing at all is running), so batches stay full.
 */
import { kindOf } from "../aws/errors.js";
import type { Clock } from "../aws/retry.js";
import type { Step } from "../core/plan-types.js";
import type { Reporter, RestoreOutcome, StepOutcome } from "./progress.js";
import { runRestore } from "./restore.js";

/** How the graph's units are carried out (execute.ts binds them to the registry and the api). */
export interface GraphRunner {
  /** Runs one step; resolves with an optional note. */
  run(step: Step): Promise<string | undefined>;
  /** Runs a group of steps of one batched op; resolves with each step's error (undefined = done). */
  runBatch(op: string, steps: Step[]): Promise<ReadonlyMap<string, unknown>>;
  /** Ops whose steps are grouped, and the largest group. */
  batchOps: ReadonlySet<string>;
  batchSize: number;
  /** Steps that only wait (they do not hold back a batch). */
  isWait(step: Step): boolean;
  /** Runs one step of a restore: it keeps going after the first interrupt and stops at the second. */
  runRestoreStep(step: Step): Promise<string | undefined>;
}

/** Effects of the graph: the clock for durations, the abort signals, the reporter. */
export interface GraphCtx {
  clock: Clock;
  /** The first Ctrl-C: nothing new starts; restores still run. */
  signal?: AbortSignal;
  /** The second Ctrl-C: the graph ends at once, restores in progress are abandoned. */
  hardSignal?: AbortSignal;
  report: Reporter;
}

/** What the graph ends with: one outcome per step in plan order, and the restores it ran or gave up. */
export interface GraphResult {
  outcomes: StepOutcome[];
  restores: RestoreOutcome[];
}

function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** Runs `steps` (already in dependency order) and returns one outcome per step, in plan order. */
export function runGraph(ctx: GraphCtx, steps: readonly Step[], runner: GraphRunner): Promise<GraphResult> {
  const ids = new Set(steps.map((s) => s.id));
  const state = new Map<string, "pending" | "running" | "finished">(steps.map((s) => [s.id, "pending"]));
  const outcomes = new Map<string, StepOutcome>();
  const started = new Map<string, number>();
  const dependents = new Map<string, Step[]>();
  for (const s of steps) for (const d of s.dependsOn) dependents.set(d, [...(dependents.get(d) ?? []), s]);
  let running = 0;
  let resolved = false;
  // Steps that take a resource out of service, the steps each guards, and how its restore went.
  const openers = steps.filter((s) => s.restore?.guards.some((g) => ids.has(g)));
  const guardedBy = new Map<string, Step>();
  for (const o of openers) for (const g of o.restore!.guards) guardedBy.set(g, o);
  const restoreState = new Map<string, "running" | "finished">();
  const restores: RestoreOutcome[] = [];
  const failedGuard = new Map<string, string>();
  // Assigned below, once the promise that ends the graph exists.
  let pump: () => void = () => undefined;
  // Many steps can end in one turn (one shared poll resolves thousands of waits): one pass over the graph
  // after all of them, not one per step (a pass looks at every step).
  let pumpQueued = false;
  const schedulePump = () => {
    if (pumpQueued) return;
    pumpQueued = true;
    setImmediate(() => {
      pumpQueued = false;
      pump();
    });
  };

  const done = (id: string) => outcomes.get(id)?.status === "done";
  // A dependency outside the plan (e.g. filtered by --target) is not waited for.
  const isReady = (s: Step) => state.get(s.id) === "pending" && s.dependsOn.every((d) => !ids.has(d) || done(d));
  const aborted = () => ctx.signal?.aborted === true;
  const isAbort = (err: unknown) => aborted() && (err === ctx.signal?.reason || kindOf(err) === "aborted");

  const skipDependents = (failed: Step) => {
    const queue = [...(dependents.get(failed.id) ?? [])];
    while (queue.length) {
      const s = queue.shift() as Step;
      if (state.get(s.id) !== "pending") continue;
      state.set(s.id, "finished");
      const reason = `depends on ${failed.id}, which failed`;
      outcomes.set(s.id, { id: s.id, address: s.address, op: s.op, status: "skipped", detail: reason });
      ctx.report({ type: "step-skipped", id: s.id, address: s.address, op: s.op, reason });
      // A guarded sequence that cannot finish is restored, whatever made it fail.
      const opener = guardedBy.get(s.id);
      if (opener && !failedGuard.has(opener.id)) failedGuard.set(opener.id, failed.id);
      queue.push(...(dependents.get(s.id) ?? []));
    }
  };

  const settle = (s: Step, err: unknown, note: string | undefined) => {
    if (resolved) return;
    state.set(s.id, "finished");
    const durationMs = ctx.clock.now() - (started.get(s.id) ?? ctx.clock.now());
    const base = { id: s.id, address: s.address, op: s.op, durationMs };
    if (err === undefined) {
      outcomes.set(s.id, { ...base, status: "done", ...(note ? { note } : {}) });
      ctx.report({ type: "step-done", ...base, ...(note ? { note } : {}) });
    } else if (isAbort(err)) {
      outcomes.set(s.id, { ...base, status: "interrupted", detail: "stopped by the interrupt" });
    } else {
      outcomes.set(s.id, { ...base, status: "failed", detail: message(err) });
      ctx.report({ type: "step-failed", ...base, error: message(err) });
      skipDependents(s);
      const opener = guardedBy.get(s.id);
      if (opener && !failedGuard.has(opener.id)) {
        failedGuard.set(opener.id, s.id);
        skipGuards(opener, `${s.id} failed; service is restored instead`);
      }
    }
  };

  /** Once a guarded sequence fails, none of its remaining steps may start: the restore takes over. */
  const skipGuards = (opener: Step, reason: string) => {
    for (const g of opener.restore!.guards) {
      if (state.get(g) !== "pending") continue;
      const s = steps.find((x) => x.id === g)!;
      state.set(g, "finished");
      outcomes.set(g, { id: g, address: s.address, op: s.op, status: "skipped", detail: reason });
      ctx.report({ type: "step-skipped", id: g, address: s.address, op: s.op, reason });
    }
  };

  /** Whether the opener took its resource out of service and the sequence cannot finish now. */
  const needsRestore = (o: Step): boolean => {
    if (restoreState.has(o.id) || !done(o.id)) return false;
    const guards = o.restore!.guards.filter((g) => ids.has(g));
    if (guards.every(done)) return false;
    if (!failedGuard.has(o.id) && !aborted()) return false;
    return !guards.some((g) => state.get(g) === "running");
  };

  const launchRestore = (o: Step) => {
    restoreState.set(o.id, "running");
    running++;
    const failed = failedGuard.get(o.id);
    const reason = failed ? `${failed} failed` : "the apply was interrupted";
    runRestore({ clock: ctx.clock, report: ctx.report, ...(ctx.hardSignal ? { hardSignal: ctx.hardSignal } : {}) }, o, reason, (id) => outcomes.get(id), (st) =>
      runner.runRestoreStep(st))
      .then((r) => {
        if (!resolved) restores.push(r);
      })
      .finally(() => {
        restoreState.set(o.id, "finished");
        running--;
        schedulePump();
      });
  };

  return new Promise<GraphResult>((resolve) => {
    const finish = () => {
      if (resolved) return;
      const now = ctx.clock.now();
      for (const s of steps) {
        if (outcomes.has(s.id)) continue;
        // Only a second interrupt ends the graph with steps still running: their calls may still land.
        outcomes.set(s.id, state.get(s.id) === "running"
          ? { id: s.id, address: s.address, op: s.op, status: "interrupted", durationMs: now - (started.get(s.id) ?? now), detail: "abandoned by the second interrupt" }
          : { id: s.id, address: s.address, op: s.op, status: "not-started" });
      }
      for (const o of ctx.hardSignal?.aborted ? openers : []) {
        if (restoreState.get(o.id) === "finished" || !(done(o.id) || state.get(o.id) === "running")) continue;
        if (o.restore!.guards.filter((g) => ids.has(g)).every(done)) continue;
        const r = o.restore!;
        const reason = failedGuard.has(o.id) ? `${failedGuard.get(o.id)} failed` : "the apply was interrupted";
        restores.push({ address: o.address, status: "abandoned", reason, detail: "abandoned by the second interrupt", leftIn: r.leftIn, manual: r.manual });
        ctx.report({ type: "restore", address: o.address, phase: "abandoned", reason });
      }
      resolved = true;
      resolve({ outcomes: steps.map((s) => outcomes.get(s.id) as StepOutcome), restores });
    };
    ctx.hardSignal?.addEventListener("abort", finish, { once: true });

    const launch = (unit: Step[], batchOp?: string) => {
      for (const s of unit) {
        state.set(s.id, "running");
        started.set(s.id, ctx.clock.now());
        ctx.report({ type: "step-start", id: s.id, address: s.address, op: s.op });
      }
      running++;
      const work: Promise<{ errors?: ReadonlyMap<string, unknown>; note?: string | undefined }> = batchOp
        ? runner.runBatch(batchOp, unit).then((errors) => ({ errors }))
        : runner.run(unit[0] as Step).then((note) => ({ note }));
      work
        .then(
          ({ errors, note }) => {
            for (const s of unit) settle(s, errors?.get(s.id), note);
          },
          (err: unknown) => {
            for (const s of unit) settle(s, err, undefined);
          },
        )
        .finally(() => {
          running--;
          schedulePump();
        });
    };

    /** Whether steps of `op` other than the ready `group` are still pending. */
    const morePending = (op: string, group: readonly Step[]) =>
      steps.some((x) => x.op === op && state.get(x.id) === "pending" && !group.includes(x));

    pump = () => {
      if (resolved) return;
      for (const o of openers) if (needsRestore(o)) launchRestore(o);
      if (!aborted()) {
        const groups = new Map<string, Step[]>();
        for (const s of steps.filter(isReady)) {
          if (runner.batchOps.has(s.op)) groups.set(s.op, [...(groups.get(s.op) ?? []), s]);
          else launch([s]);
        }
        for (const [op, group] of groups) {
          while (group.length >= runner.batchSize) launch(group.splice(0, runner.batchSize), op);
          // Hold a partial batch while more steps of its op are still to become ready (their users still
          // being created or listed): batches stay full. Nothing running at all means nothing more will.
          if (group.length && (!morePending(op, group) || running === 0)) launch(group, op);
        }
      }
      if (running === 0) finish();
    };

    pump();
  });
}
