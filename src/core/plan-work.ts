/** One resource's part of a plan while it is being built, and the pieces every planning pass shares. */
import type { DesiredResource, LiveResource, StepDraft } from "../kinds/contract.js";
import { AppError } from "./errors.js";
import type { FieldDiff, ResourceChange } from "./plan-types.js";

/** One resource's part of a plan before linking. */
export interface Work {
  change: ResourceChange;
  desired?: DesiredResource;
  live?: LiveResource;
  /** Steps that remove the live resource (delete, or the first half of a replace). */
  deleteSteps: readonly StepDraft[];
  /** Steps that create or update it. */
  createSteps: readonly StepDraft[];
}

// Shared by the unchanged resources of a large estate (30,000 memberships) rather than two empty arrays
// each; frozen, so that nothing can add to them.
/** No steps. */
export const NO_STEPS: readonly StepDraft[] = Object.freeze([]);
const NO_OP = Object.freeze(["no-op"]) as unknown as ResourceChange["actions"];
const NO_DIFF = Object.freeze([]) as unknown as FieldDiff[];

/** The change of a resource the plan leaves as it is. */
export function noChange(r: { kind: DesiredResource["kind"]; name: string; address: string }): ResourceChange {
  return change(r, NO_OP, NO_DIFF);
}

/** A resource's change with no disruption and no reason yet. */
export function change(r: { kind: DesiredResource["kind"]; name: string; address: string }, actions: ResourceChange["actions"], diff: FieldDiff[] = []): ResourceChange {
  return { address: r.address, kind: r.kind, name: r.name, actions, disruption: "none", reason: "", diff };
}

/** A resource declared with `protect: true` (or tagged so when it was) is never deleted or replaced. */
export function assertUnprotected(address: string, protectedFlag: boolean): void {
  if (protectedFlag) {
    throw new AppError("plan.protected", `${address} is protected (protect: true) and would be deleted; remove the protection first`, { source: "user" });
  }
}
