/**
 * The executor's registry (DESIGN.md §4): step `op` → the function that carries it out, taking `ctx`
 * first. The functions are the kinds' own (each kind's `ops`, kinds/index.ts `OPS`); this file adds the
 * one op every kind shares, the wait, which joins the kind's shared poller.
 */
import { AppError } from "../core/errors.js";
import type { Step } from "../model/plan.js";
import type { WaitKind } from "../model/resource.js";
import { OPS as KIND_OPS } from "../kinds/index.js";
import type { OpCtx, OpFn } from "../kinds/kind.js";
import { param } from "../kinds/op-helpers.js";

export type { OpCtx, OpFn };
export { resolveSecrets } from "../kinds/op-helpers.js";

/** Waits for a state through the shared poller of the step's wait kind. */
const wait: OpFn = async (ctx, s) => {
  const kind = param(s, "kind") as WaitKind;
  if (!(kind in ctx.timeouts)) throw new AppError("plan.format", `step ${s.id}: unknown wait kind ${kind}`, { source: "user" });
  await ctx.wait(kind, { name: param(s, "name"), until: param(s, "until"), timeoutMs: ctx.timeouts[kind] });
  return undefined;
};

/** op → function: every op the kinds produce (except batched ones, kinds/index.ts `BATCHES`), and `wait`. */
export const OPS: Readonly<Record<string, OpFn<any>>> = { ...KIND_OPS, wait };

/** Whether a step is a wait (holds no parallelism slot and does not delay batches). */
export const isWait = (step: Step): boolean => step.op === "wait";
