/**
 * Restoring service, so that a running fleet is never left stopped: a step that takes a resource out of
 * service carries a {@link Restore} naming the steps it guards. When one of those fails, or an interrupt
 * leaves them unfinished, the executor runs the restore's steps in order — after the first Ctrl-C too,
 * since bringing back what this apply stopped is not a new change; only a second Ctrl-C abandons it.
 */
import type { RestoreStep, Step } from "../core/plan-types.js";
import type { Reporter, RestoreOutcome, StepOutcome } from "./progress.js";
import type { Clock } from "../aws/retry.js";

/** Runs one restore step (bound to the signal of the second Ctrl-C, not the first). */
export type RestoreStepRunner = (step: Step) => Promise<string | undefined>;

/** Effects of a restore: the clock, the reporter, the second Ctrl-C. */
export interface RestoreCtx {
  clock: Clock;
  report: Reporter;
  hardSignal?: AbortSignal;
}

function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** Whether the guarded step `id` may have taken effect: done, or cut off by the interrupt while running. */
function tookEffect(outcome: StepOutcome | undefined): boolean {
  return outcome?.status === "done" || outcome?.status === "interrupted";
}

/**
 * Runs the restore carried by `opener`, step by step; `outcomeOf` gives the guarded steps' outcomes. A
 * failed optional step is noted and the restore goes on; any other failure ends it as `failed`.
 */
export async function runRestore(
  ctx: RestoreCtx, opener: Step, reason: string, outcomeOf: (id: string) => StepOutcome | undefined, run: RestoreStepRunner,
): Promise<RestoreOutcome> {
  const r = opener.restore!;
  const base = { address: opener.address, reason, leftIn: r.leftIn, manual: r.manual };
  ctx.report({ type: "restore", address: opener.address, phase: "start", reason });
  const notes: string[] = [];
  const end = (status: RestoreOutcome["status"], detail?: string): RestoreOutcome => {
    const all = [...notes, ...(detail ? [detail] : [])].join("; ");
    ctx.report({ type: "restore", address: opener.address, phase: status, reason: all || reason });
    return { ...base, status, ...(all ? { detail: all } : {}) };
  };
  for (const rs of r.steps) {
    if (ctx.hardSignal?.aborted) return end("abandoned", "abandoned by the second interrupt");
    if (rs.ifDone !== undefined && !tookEffect(outcomeOf(rs.ifDone))) continue;
    const step = asStep(opener, rs);
    const started = ctx.clock.now();
    ctx.report({ type: "step-start", id: step.id, address: step.address, op: step.op });
    try {
      const note = await run(step);
      ctx.report({ type: "step-done", id: step.id, address: step.address, op: step.op, durationMs: ctx.clock.now() - started, ...(note ? { note } : {}) });
    } catch (err) {
      if (ctx.hardSignal?.aborted) return end("abandoned", `abandoned by the second interrupt during ${step.op}`);
      ctx.report({ type: "step-failed", id: step.id, address: step.address, op: step.op, durationMs: ctx.clock.now() - started, error: message(err) });
      if (!rs.optional) return end("failed", `${step.op} failed: ${message(err)}`);
      notes.push(`${step.op} could not be undone: ${message(err)}`);
    }
  }
  return end("restored");
}

function asStep(opener: Step, rs: RestoreStep): Step {
  return { id: rs.id, address: opener.address, op: rs.op, params: rs.params, dependsOn: [] };
}
