/**
 * User↔stack associations go in BatchAssociateUserStack / BatchDisassociateUserStack calls of up to 25
 * items (reference §8.2). Those calls do not raise for per-item failures: each failed item comes back
 * in `errors[]` with an ErrorCode, and is mapped here to the step (address) it came from.
 */
import type { UserStackAssociation } from "@aws-sdk/client-appstream";
import { AppError } from "../core/errors.js";
import type { Step } from "../model/plan.js";
import type { BatchCtx } from "./kind.js";

/** The model's limit on items per batch call (reference §8.2: 1–25). */
export const BATCH_SIZE = 25;

/** Rounds in which items failing with a *_NOT_FOUND code are sent again (a user or stack just created). */
const NOT_FOUND_ROUNDS = 4;
const NOT_FOUND_DELAY_MS = 2000;

export type { BatchCtx };

const keyOf = (a: { StackName?: string; UserName?: string; AuthenticationType?: string }): string =>
  `${a.StackName ?? ""}\u0000${a.UserName ?? ""}\u0000${a.AuthenticationType ?? ""}`;

function itemOf(step: Step): UserStackAssociation {
  return step.params as unknown as UserStackAssociation;
}

/**
 * Sends `steps` (at most {@link BATCH_SIZE}, all of `op`) in one call and returns, per step id, the
 * error of its item or undefined when it succeeded. A failure of the whole call fails every item.
 * On disassociation a STACK_NOT_FOUND / USER_NAME_NOT_FOUND item is already gone, hence done.
 */
export async function runBatch(ctx: BatchCtx, op: string, steps: readonly Step[]): Promise<Map<string, AppError | undefined>> {
  if (steps.length === 0 || steps.length > BATCH_SIZE) throw new RangeError(`a batch holds 1–${BATCH_SIZE} items, got ${steps.length}`);
  const associate = op === "user-association.create";
  if (!associate && op !== "user-association.delete") throw new AppError("internal", `${op} is not a batched op`, { source: "internal" });
  const out = new Map<string, AppError | undefined>(steps.map((s) => [s.id, undefined]));
  let pending = [...steps];
  for (let round = 1; pending.length; round++) {
    const items = pending.map(itemOf);
    const resource = pending.map((s) => s.address).join(", ");
    const result = associate
      ? await ctx.call("BatchAssociateUserStack", { UserStackAssociations: items }, { resource })
      : await ctx.call("BatchDisassociateUserStack", { UserStackAssociations: items }, { resource });
    const byKey = new Map(pending.map((s) => [keyOf(itemOf(s)), s]));
    const retry: Step[] = [];
    for (const e of result.errors ?? []) {
      const step = e.UserStackAssociation ? byKey.get(keyOf(e.UserStackAssociation)) : undefined;
      if (!step) continue;
      const notFound = e.ErrorCode === "STACK_NOT_FOUND" || e.ErrorCode === "USER_NAME_NOT_FOUND";
      if (notFound && !associate) continue;
      if (notFound && round < NOT_FOUND_ROUNDS) {
        retry.push(step);
        continue;
      }
      const verb = associate ? "BatchAssociateUserStack" : "BatchDisassociateUserStack";
      out.set(step.id, new AppError("apply.failed", `${verb} ${step.address} failed: ${e.ErrorCode ?? "ERROR"}: ${e.ErrorMessage ?? ""}`.trim(), { source: "aws" }));
    }
    // An item fails with *_NOT_FOUND when its user or stack is not visible yet (reference §14.4).
    if (retry.length) await ctx.clock.sleep(NOT_FOUND_DELAY_MS * 2 ** (round - 1), ctx.signal);
    pending = retry;
  }
  return out;
}
