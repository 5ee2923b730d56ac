/**
 * A create that finds its resource already there (made after the plan read the estate: another run, a
 * person at the console, or an attempt of the same request whose answer was lost) is not a success:
 * what is there may differ from the manifest, or belong to another set. The resource is planned again
 * against what is live now and converged with the steps of that plan, run in place of the rest of its
 * create; or the create is reported as failed — when another set owns it (the planner refuses,
 * `plan.foreign-owner`), or when converging it would be disruptive, which the operator did not consent
 * to when approving a create.
 */
import { kindOf } from "../aws/errors.js";
import { AppError } from "../core/errors.js";
import type { ResourceChange, Step } from "../core/plan-types.js";
import type { Reporter } from "./progress.js";

/** One declared resource planned again against what is live now (plan-run.ts `replanResource`). */
export interface Replanned {
  change: ResourceChange | undefined;
  steps: Step[];
}

export interface ConvergeCtx {
  replan(address: string): Promise<Replanned>;
  /** Runs one step of the new plan as the executor runs any step; resolves with its note. */
  runStep(step: Step): Promise<string | undefined>;
  report: Reporter;
  now(): number;
  signal?: AbortSignal;
}

/** Whether a step's error is a create that found its resource already there (ops.ts). */
export function isRaced(err: unknown): boolean {
  return err instanceof AppError && err.code === "apply.already-exists";
}

/** Step ids of the new plan, told apart from the original plan's steps of the same resource. */
function renamed(steps: readonly Step[], address: string): Step[] {
  const prefix = `${address}#`;
  const rename = (id: string) => (id.startsWith(prefix) ? `${prefix}replan.${id.slice(prefix.length)}` : id);
  const ids = new Set(steps.map((s) => s.id));
  // The new plan is toposorted; its steps run one after another, so only edges among them matter.
  return steps.map((s) => ({ ...s, id: rename(s.id), dependsOn: s.dependsOn.filter((d) => ids.has(d)).map(rename) }));
}

function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/**
 * Plans `raced.address` again and runs the new steps in order, reporting each one. Resolves with the
 * note the raced create step ends with; rejects (the create step fails) when the resource cannot or
 * must not be converged here.
 */
export async function convergeRaced(ctx: ConvergeCtx, raced: Step, cause: unknown): Promise<string> {
  const address = raced.address;
  let again: Replanned;
  try {
    again = await ctx.replan(address);
  } catch (err) {
    throw new AppError(err instanceof AppError ? err.code : "apply.failed", `${address} already existed when created, and planning it again failed: ${message(err)}`, { source: "user", cause: err });
  }
  const change = again.change;
  if (change && (change.disruption !== "none" || (change.actions as readonly string[]).includes("delete"))) {
    throw new AppError(
      "apply.already-exists",
      `${address} already existed when created, and converging it would be disruptive (${change.reason || change.actions.join("/")}); ` +
        "nothing was changed on it: run plan again to review the change",
      { source: "user", cause },
    );
  }
  const steps = renamed(again.steps, address);
  for (const s of steps) {
    if (ctx.signal?.aborted) throw ctx.signal.reason;
    const started = ctx.now();
    ctx.report({ type: "step-start", id: s.id, address: s.address, op: s.op });
    try {
      const note = await ctx.runStep(s);
      ctx.report({ type: "step-done", id: s.id, address: s.address, op: s.op, durationMs: ctx.now() - started, ...(note ? { note } : {}) });
    } catch (err) {
      if (ctx.signal?.aborted && (err === ctx.signal.reason || kindOf(err) === "aborted")) throw err;
      ctx.report({ type: "step-failed", id: s.id, address: s.address, op: s.op, durationMs: ctx.now() - started, error: message(err) });
      throw new AppError("apply.failed", `${address} already existed when created; converging it failed at ${s.id}: ${message(err)}`, { source: "aws", cause: err });
    }
  }
  if (!steps.length) return "already existed when created, and matches the manifest";
  return `already existed when created: planned again and converged with ${steps.filter((s) => s.op !== "wait").map((s) => s.op).join(", ") || "waits"}`;
}

/** The note of an original create-phase step of a resource whose create raced: the new plan replaced it. */
export const SUPERSEDED = "not needed: the resource was planned again after its create found it already there";
