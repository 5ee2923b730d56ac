/**
 * Turns each resource's local step drafts into global steps with dependency edges, then orders them:
 * creates follow what they depend on; deletes run on the reversed graph (a fleet is deleted only after
 * its stack associations are); a resource that moves away from another (a fleet changing image) goes
 * before that other one is deleted; a stack's old fleet association goes before its new one; an
 * association is created only once the state of its other parents that judges it has settled (a user
 * association after its stack's fleet changes).
 */
import type { StepDraft } from "../kinds/contract.js";
import { parentsOf } from "./parents.js";
import type { Restore, Step } from "./plan-types.js";
import type { Work } from "./plan-work.js";
import { toposort } from "./toposort.js";

interface Phase {
  ids: string[];
  roots: Step[];
  sinks: string[];
}

function globalize(address: string, drafts: StepDraft[], prefix: string, into: Map<string, Step>): Phase {
  const id = (local: string) => `${address}#${prefix}${local}`;
  const steps = drafts.map((s): Step => ({
    id: id(s.id), address, op: s.op, params: s.params, dependsOn: (s.after ?? []).map(id),
    ...(s.restore ? { restore: globalRestore(s.restore, id) } : {}),
  }));
  for (const s of steps) into.set(s.id, s);
  const referenced = new Set(steps.flatMap((s) => s.dependsOn));
  return {
    ids: steps.map((s) => s.id),
    roots: steps.filter((s) => s.dependsOn.length === 0),
    sinks: steps.filter((s) => !referenced.has(s.id)).map((s) => s.id),
  };
}

/** A kind's restore with its local ids made global (restore steps live in their own `restore.` space). */
function globalRestore(r: Restore, id: (local: string) => string): Restore {
  return {
    guards: r.guards.map(id),
    steps: r.steps.map((s) => ({ ...s, id: id(`restore.${s.id}`), ...(s.ifDone ? { ifDone: id(s.ifDone) } : {}) })),
    leftIn: r.leftIn,
    manual: r.manual,
  };
}

function after(phase: Phase | undefined, sinks: readonly string[] | undefined): void {
  if (!phase || !sinks?.length) return;
  for (const r of phase.roots) for (const s of sinks) if (!r.dependsOn.includes(s)) r.dependsOn.push(s);
}

/**
 * A user-pool user is refused on a stack whose fleet is domain-joined (reference §5, §8.2), so a user
 * association is judged by its stack's current fleet association and that fleet's domain join. Its create
 * goes after the steps of the same plan that can make it legal: the removal of the stack's old fleet
 * association, and an update that takes the domain join off the stack's fleet. (A new association or a new
 * fleet never does: a user-pool member of a stack on a domain-joined fleet is refused at validate.)
 */
function judgedCreates(planned: readonly Work[], cre: Map<string, Phase>, del: Map<string, Phase>): void {
  const settling = new Map<string, string[]>();
  const add = (stack: unknown, sinks: readonly string[] | undefined) => {
    if (sinks?.length) settling.set(String(stack), [...(settling.get(String(stack)) ?? []), ...sinks]);
  };
  const unjoining = new Map<string, readonly string[]>();
  for (const w of planned) {
    const steps = cre.get(w.change.address)?.sinks;
    if (w.change.kind === "Fleet" && w.live && steps && w.change.diff.some((d) => d.path.startsWith("domainJoinInfo"))) unjoining.set(w.change.name, steps);
  }
  for (const w of planned) {
    if (w.change.kind !== "FleetAssociation") continue;
    if (w.live) add(w.live.spec.stack, del.get(w.change.address)?.sinks);
    if (w.desired) add(w.desired.spec.stack, unjoining.get(String(w.desired.spec.fleet)));
  }
  if (!settling.size) return;
  for (const w of planned) {
    if (w.change.kind === "UserAssociation" && w.desired) after(cre.get(w.change.address), settling.get(String(w.desired.spec.stack)));
  }
}

/** Links and orders every step of the plan. */
export function linkSteps(planned: readonly Work[]): Step[] {
  // Most resources of a large estate are unchanged: nothing of theirs to order.
  const works = planned.filter((w) => w.createSteps.length || w.deleteSteps.length);
  const all = new Map<string, Step>();
  const del = new Map<string, Phase>();
  const cre = new Map<string, Phase>();
  for (const w of works) {
    const a = w.change.address;
    const removing = w.deleteSteps.length ? globalize(a, w.deleteSteps, "destroy.", all) : undefined;
    const creating = w.createSteps.length ? globalize(a, w.createSteps, "", all) : undefined;
    if (removing) del.set(a, removing);
    if (creating) cre.set(a, creating);
    after(creating, removing?.sinks);
  }
  // Fleet associations being removed, by stack.
  const leavingByStack = new Map<string, string[]>();
  for (const w of works) {
    if (w.change.kind !== "FleetAssociation" || !w.live || !del.has(w.change.address)) continue;
    const stack = String(w.live.spec.stack);
    leavingByStack.set(stack, [...(leavingByStack.get(stack) ?? []), w.change.address]);
  }
  for (const w of works) {
    const a = w.change.address;
    // Creates and updates follow the creates and updates of what they depend on.
    const mine = cre.get(a);
    if (mine) for (const dep of w.desired?.dependsOn ?? []) after(mine, cre.get(dep)?.sinks);
    if (w.live && del.has(a)) {
      // Deletes run on the reversed graph: a parent goes after everything hanging off it.
      for (const parent of new Set([...parentsOf(w.live), ...(w.desired?.dependsOn ?? [])])) after(del.get(parent), del.get(a)?.sinks);
    }
    if (w.live && cre.has(a) && !del.has(a)) {
      // An update that moves off a resource (e.g. a fleet changing image) precedes that resource's delete.
      for (const parent of parentsOf(w.live)) after(del.get(parent), cre.get(a)?.sinks);
    }
    if (w.change.kind === "FleetAssociation" && w.desired && cre.has(a)) {
      // A stack holds one fleet (reference §5): its old association is removed before the new one.
      for (const other of leavingByStack.get(String(w.desired.spec.stack)) ?? []) {
        if (other !== a) after(cre.get(a), del.get(other)?.sinks);
      }
    }
  }
  judgedCreates(planned, cre, del);
  const order = toposort([...all.keys()], (id) => all.get(id)!.dependsOn);
  return order.map((id) => all.get(id)!);
}
