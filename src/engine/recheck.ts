/**
 * "Changed since the plan": before the first mutation of each resource, the executor re-reads that one
 * resource (the kind's `readOne`) and compares it with what the plan was made from. A resource someone
 * changed meanwhile (a console edit, another tool) fails its own chain — its dependents are skipped,
 * everything else proceeds — instead of being overwritten with a plan made from a state that is gone.
 *
 * Which resources: those the plan read live (updates, deletes, replacements). A create needs no re-read:
 * the service refuses a name that exists (ResourceAlreadyExists), the atomic form of the same check.
 * Kinds without `readOne` (users, memberships, shares: nothing of them can be overwritten but their
 * existence) are not re-read. When a resource's chain begins with a wait for a transition the plan saw
 * in progress, its state is expected to move and only its fields and tags are compared.
 */
import { canonical } from "../core/canonical.js";
import { AppError } from "../core/errors.js";
import { fingerprint } from "../core/plan.js";
import type { Step } from "../core/plan-types.js";
import { kindOf } from "../aws/errors.js";
import type { AppStreamApi } from "../aws/api.js";
import type { LiveResource, ReadContext } from "../kinds/contract.js";
import { kindNamed } from "../kinds/index.js";
import { listTags } from "../kinds/tagging.js";

/** What the re-check needs: a (retrying) api, the live state the plan was made from, and the plan's steps. */
export interface RecheckInput {
  api: AppStreamApi;
  region: string;
  /** The live resources the plan was built from (a saved plan: those read when it was proven not stale). */
  baseline: readonly LiveResource[];
  steps: readonly Step[];
  isWait(step: Step): boolean;
}

/** The top-level members that differ between two reads of a resource, for the failure message. */
export function changedMembers(before: LiveResource, after: LiveResource | undefined, withState: boolean): string[] {
  if (!after) return ["deleted"];
  const out: string[] = [];
  const keys = new Set([...Object.keys(before.spec), ...Object.keys(after.spec)]);
  for (const k of [...keys].sort()) {
    if (!same(before.spec[k], after.spec[k])) out.push(k);
  }
  if (withState && before.state !== after.state) out.push(`state ${before.state ?? "(none)"} → ${after.state ?? "(none)"}`);
  if (before.tags !== undefined && !same(before.tags, after.tags)) out.push("tags");
  return out;
}

function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(canonical(a)) === JSON.stringify(canonical(b));
}

/**
 * Returns the check to await before running a step: it re-reads the step's resource once (at its first
 * mutating step) and rejects with `plan.changed` when it moved since the plan; later steps of the same
 * resource share that one result.
 */
export function createRecheck(input: RecheckInput): (step: Step) => Promise<void> {
  const baseline = new Map(input.baseline.map((r) => [r.address, r]));
  const firstStep = new Map<string, Step>();
  for (const s of input.steps) if (!firstStep.has(s.address)) firstStep.set(s.address, s);
  const ctx: ReadContext = { api: input.api, region: input.region, map: (items, fn) => Promise.all(items.map(fn)) };
  const checks = new Map<string, Promise<void>>();

  const check = async (address: string): Promise<void> => {
    const before = baseline.get(address)!;
    const planner = kindNamed(before.kind);
    let now: LiveResource | undefined;
    try {
      now = await planner.readOne!(ctx, before.name);
    } catch (err) {
      if (kindOf(err) !== "not-found") throw err;
    }
    if (now && before.tags !== undefined && now.arn) {
      now.tags = await listTags(input.api, now.arn);
    }
    const first = firstStep.get(address);
    const withState = !(first && input.isWait(first));
    const strip = (l: LiveResource | undefined) => (l && !withState ? { ...l, state: undefined } : l);
    if (fingerprint(strip(before)) === fingerprint(strip(now))) return;
    throw new AppError(
      "plan.changed",
      `${address} changed since the plan (${changedMembers(before, now, withState).join(", ")}); it was not overwritten. Run plan again.`,
      { source: "user" },
    );
  };

  return (step) => {
    if (input.isWait(step)) return Promise.resolve();
    const before = baseline.get(step.address);
    if (!before || !kindNamed(before.kind).readOne) return Promise.resolve();
    let p = checks.get(step.address);
    if (!p) checks.set(step.address, (p = check(step.address)));
    return p;
  };
}
