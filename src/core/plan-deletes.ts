/**
 * What the plan removes: live resources the manifest no longer declares (within the ownership rules),
 * the memberships and shares that must go before their parent does, and no image still in use.
 */
import type { KindName, LiveResource, ManifestDoc } from "../model/resource.js";
import { declaredNone, kindNamed } from "../kinds/index.js";
import { isDerived, unmanagedNote, type ListedKindDef, type Ownership } from "../kinds/kind.js";
import { fieldHolders } from "../kinds/reads.js";
import { OWNER_TAG, PROTECT_TAG } from "./desired.js";
import { AppError, assertNever } from "./errors.js";
import { DERIVED, parentsOf } from "./parents.js";
import { assertUnprotected, change, valuesOf, type Work } from "./plan-work.js";

const isListed = (k: ReturnType<typeof kindNamed>): k is ListedKindDef => !isDerived(k);

/** Whether a live resource absent from the manifest may be deleted (DESIGN.md §3 ownership rules). */
function prunable(l: LiveResource, m: ManifestDoc, prune: boolean, declared: ReadonlySet<string>, holders: ReturnType<typeof fieldHolders>): boolean {
  const kind = kindNamed(l.kind);
  const ownership: Ownership = kind.ownership;
  switch (ownership) {
    case "owner": {
      // The memberships a declared owner declares (see parents.ts) are reconciled exactly, with or
      // without --prune; a pooled one also whenever the pool is exclusive and its other parent declared.
      const parents = parentsOf(l);
      // Declared by a field its declared owner leaves out: not this manifest's (left alone, said once).
      if (isDerived(kind) && kind.declaredBy && declared.has(parents[0]!) && !holders.get(kind.kind)?.has(parents[0]!)) return false;
      if (isDerived(kind) && kind.pooled && m.metadata.userPool === "exclusive" && declared.has(parents[1]!)) return true;
      return declared.has(parents[0]!);
    }
    case "user-pool":
      return prune && m.metadata.userPool === "exclusive";
    case "never":
      return false;
    case "singleton":
      // Declared absent (`KEY: none`); left out, the manifest does not speak for it.
      return isListed(kind) && declaredNone(m, kind);
    case "tag":
      return prune && l.tags?.[OWNER_TAG] === m.metadata.name;
    default:
      return assertNever(ownership, "ownership");
  }
}

/** A live resource's delete. */
function deleteWork(l: LiveResource, why: string, region: string): Work {
  const p = kindNamed(l.kind);
  if (l.tags?.[PROTECT_TAG] === "true") assertUnprotected(l.address, true);
  const c = change(l, ["delete"]);
  c.reason = why;
  const warn = p.removeWarning?.(l);
  if (warn) c.warnings = [warn];
  return { change: c, live: l, deleteSteps: p.remove(l, { region }), createSteps: [] };
}

/**
 * Adds to `works` (which holds every declared resource) the deletes of the `undeclared` live resources
 * that the ownership rules let go, and orders memberships around a parent that goes.
 */
export function planDeletes(
  works: Map<string, Work>,
  undeclared: readonly LiveResource[],
  live: readonly LiveResource[],
  opts: { manifest: ManifestDoc; prune: boolean; region: string },
): void {
  const declared = undeclared.length ? new Set(works.keys()) : new Set<string>();
  const holders = fieldHolders(opts.manifest);
  for (const l of undeclared) {
    if (!prunable(l, opts.manifest, opts.prune, declared, holders)) {
      // Said once for what hangs off a declared owner; what hangs off another's is not this plan's.
      if (declared.has(parentsOf(l)[0] ?? "")) noteUnmanaged(works, l);
      continue;
    }
    works.set(l.address, deleteWork(l, declared.has(parentsOf(l)[0] ?? "") ? "no longer declared" : "not in the manifest (--prune)", opts.region));
  }
  // A plan that deletes or replaces nothing moves no membership: skip looking at each of them.
  let deletes = false;
  works.forEach((w) => (deletes ||= w.deleteSteps.length > 0));
  if (deletes) followGoingParents(works, live, opts.region, opts.manifest.metadata.name);
}

/** A live resource its declared owner does not speak for: shown once, as a note on a no-op change. */
function noteUnmanaged(works: Map<string, Work>, l: LiveResource): void {
  const kind = kindNamed(l.kind);
  const owner = works.get(parentsOf(l)[0] ?? "")?.desired;
  const note = owner && isDerived(kind) && unmanagedNote(kind, l, owner.spec);
  if (!note) return;
  const c = change(l, ["no-op"]);
  c.warnings = [note];
  works.set(l.address, { change: c, live: l, createSteps: [], deleteSteps: [] });
}

/**
 * Whether `address` is this manifest's to change: declared, deleted by this plan (so owned), or tagged
 * with this set.
 */
function ours(address: string, works: ReadonlyMap<string, Work>, liveByAddress: () => ReadonlyMap<string, LiveResource>, set: string): boolean {
  const w = works.get(address);
  if (w?.desired || w?.deleteSteps.length) return true;
  return liveByAddress().get(address)?.tags?.[OWNER_TAG] === set;
}

/** `plan.foreign-association`: deletes that would change, through a membership, a resource this set does not own. */
function refuseForeignDetach(blocked: readonly { going: string; owner: string; membership: string }[], set: string): void {
  if (!blocked.length) return;
  const lines = blocked.map((b) =>
    `${b.going} is to be deleted, but ${b.membership} ties it to ${b.owner}, which this manifest's set "${set}" does not own: ` +
      `deleting ${b.going} would change ${b.owner}`,
  );
  throw new AppError(
    "plan.foreign-association",
    `${lines.join("\n")}\nNothing was changed. Remove the association where ${blocked.map((b) => b.owner).join(", ")} ${blocked.length > 1 ? "are" : "is"} managed, ` +
      "declare it in this manifest, or keep declaring what would be deleted.",
    { source: "user" },
  );
}

/** Memberships and shares of a parent that is replaced or deleted go first and, if still declared, come back after. */
function followGoingParents(works: Map<string, Work>, live: readonly LiveResource[], region: string, set: string): void {
  const going = (a: string) => works.get(a)?.deleteSteps.length ?? 0;
  let byAddress: Map<string, LiveResource> | undefined;
  const liveByAddress = () => (byAddress ??= new Map(live.map((l) => [l.address, l])));
  const blocked: { going: string; owner: string; membership: string }[] = [];
  for (const l of live) {
    // Only memberships and shares follow their parent; listed kinds are ordered around a delete instead.
    if (!DERIVED.has(l.kind)) continue;
    const w = works.get(l.address);
    const parentGoing = parentsOf(l).find((a) => going(a) > 0);
    if (!parentGoing || (w && w.deleteSteps.length)) continue;
    const parentReplaced = (works.get(parentGoing)?.createSteps.length ?? 0) > 0;
    // Around a replaced parent the association comes back: the declared one, or — not being ours to
    // remove (a stack outside the manifest on a replaced fleet) — the one that was live.
    const again = w?.desired ?? (parentReplaced ? { ...l, pointer: "", dependsOn: parentsOf(l).filter((a) => works.has(a)) } : undefined);
    if (again) {
      const c = change(l, ["delete", "create"]);
      c.reason = `re-created because ${parentGoing} is replaced`;
      works.set(l.address, { change: c, desired: again, live: l, deleteSteps: kindNamed(l.kind).remove(l, { region }), createSteps: kindNamed(l.kind).create(again, { region }) });
    } else {
      // A membership that belongs to its owner (a stack's fleet) is that owner's to remove.
      const owner = parentsOf(l)[0]!;
      const kind = kindNamed(l.kind);
      if (isDerived(kind) && kind.removalChangesOwner && owner !== parentGoing && !ours(owner, works, liveByAddress, set)) {
        blocked.push({ going: parentGoing, owner, membership: l.address });
        continue;
      }
      works.set(l.address, deleteWork(l, `removed before ${parentGoing} is deleted`, region));
    }
  }
  refuseForeignDetach(blocked, set);
}

/**
 * A resource another one holds in use (an image a fleet or builder streams from, reference §7.4: DeleteImage
 * fails with ResourceInUse) is never deleted: the delete is dropped and the plan names the users. A user
 * that the plan deletes or moves elsewhere does not count; one it replaces on the same resource does.
 */
export function keepInUse(works: Map<string, Work>, live: readonly LiveResource[]): void {
  const replacedInUse: string[] = [];
  const hints = new Set<string>();
  const holds = (spec: Record<string, unknown> | undefined, kind: string, name: string, by: KindName): boolean => {
    const held = spec ? kindNamed(by).holds?.(spec) : undefined;
    return held?.kind === kind && held.name === name;
  };
  // Who holds what, read once: most plans delete nothing that is held.
  let heldBy: Map<string, LiveResource[]> | undefined;
  const usersOf = (address: string): LiveResource[] => {
    if (!heldBy) {
      heldBy = new Map();
      for (const l of live) {
        const held = kindNamed(l.kind).holds?.(l.spec);
        if (held) heldBy.set(`${held.kind}/${held.name}`, [...(heldBy.get(`${held.kind}/${held.name}`) ?? []), l]);
      }
    }
    return heldBy.get(address) ?? [];
  };
  const deleted = valuesOf(works).filter((w) => w.change.actions[0] === "delete");
  for (const w of deleted) {
    // A membership kept below (its parent stays) is no longer in the plan.
    if (works.get(w.change.address) !== w) continue;
    const { kind, name, address } = w.change;
    const users = usersOf(address)
      .filter((l) => {
        const other = works.get(l.address);
        // Outside the manifest: it keeps using it. Deleted for good: it stops. Declared (also when
        // replaced): it uses whatever the manifest says.
        if (!other?.desired) return !other?.deleteSteps.length;
        return holds(other.desired.spec, kind, name, l.kind);
      })
      .map((l) => l.address);
    if (!users.length) continue;
    // A replace deletes first, and the delete fails while it is in use: the apply would stop half way
    // with the old one gone from the plan's view. Refuse it before anything is sent.
    if (w.change.actions[1] === "create") {
      replacedInUse.push(`${address} is to be replaced (deleted, then created under the same name), but ${users.join(", ")} ${users.length > 1 ? "stream" : "streams"} from it`);
      const hint = kindNamed(kind).inUseHint;
      if (hint) hints.add(hint);
      continue;
    }
    const c = change(w.change, ["no-op"]);
    c.warnings = [`not deleted: still used by ${users.join(", ")}`];
    works.set(address, { ...w, change: c, deleteSteps: [] });
    // Its memberships and shares stay too: they were going only because it was.
    for (const [other, share] of works) {
      if (share.live && DERIVED.has(share.change.kind) && parentsOf(share.live)[0] === address && !share.desired) works.delete(other);
    }
  }
  if (replacedInUse.length) {
    throw new AppError("plan.image-in-use", `${replacedInUse.join("\n")}\nNothing was changed. ${[...hints].join(" ")}`, { source: "user" });
  }
}
