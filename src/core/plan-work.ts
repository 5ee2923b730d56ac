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
  deleteSteps: StepDraft[];
  /** Steps that create or update it. */
  createSteps: StepDraft[];
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
