/**
 * Turns each resource's local step drafts into global steps with dependency edges, then orders them:
 * creates follow what they depend on; deletes run on the reversed graph (a fleet is deleted only after
 * its stack associations are); a resource that moves away from another (a fleet changing image) goes
 * before that other one is deleted; where a parent holds one membership of a kind (a stack's fleet), the
 * old one goes before the new one; a kind may order its creates after steps of others that decide
 * whether the create is legal (a user association after its stack's fleet changes).
 */
import { ALL_KINDS, kindNamed } from "../kinds/index.js";
import { isDerived } from "../kinds/kind.js";
import type { StepDraft } from "../model/resource.js";
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

/** The kinds' own ordering of their creates after other resources' steps (`orderCreates`). */
function kindOrderedCreates(planned: readonly Work[], cre: Map<string, Phase>, del: Map<string, Phase>): void {
  const sinks = { create: (a: string) => cre.get(a)?.sinks, remove: (a: string) => del.get(a)?.sinks };
  for (const kind of ALL_KINDS) {
    if (!kind.orderCreates) continue;
    for (const { address, after: sinksOf } of kind.orderCreates(planned, sinks)) after(cre.get(address), sinksOf);
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
  // Memberships of a "one per parent" kind being removed, by kind and parent.
  const exclusiveKey = (w: Work, spec: Record<string, unknown>): string | undefined => {
    const kind = kindNamed(w.change.kind);
    return isDerived(kind) && kind.exclusive ? `${kind.kind}\u0000${kind.exclusive(spec)}` : undefined;
  };
  const leavingByParent = new Map<string, string[]>();
  for (const w of works) {
    const key = w.live && del.has(w.change.address) ? exclusiveKey(w, w.live.spec) : undefined;
    if (key !== undefined) leavingByParent.set(key, [...(leavingByParent.get(key) ?? []), w.change.address]);
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
    const key = w.desired && cre.has(a) ? exclusiveKey(w, w.desired.spec) : undefined;
    if (key !== undefined) {
      // One per parent (a stack holds one fleet): the old membership is removed before the new one.
      for (const other of leavingByParent.get(key) ?? []) {
        if (other !== a) after(cre.get(a), del.get(other)?.sinks);
      }
    }
  }
  kindOrderedCreates(planned, cre, del);
  const order = toposort([...all.keys()], (id) => all.get(id)!.dependsOn);
  return order.map((id) => all.get(id)!);
}
