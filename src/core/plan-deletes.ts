/**
 * What the plan removes: live resources the manifest no longer declares (within the ownership rules),
 * the memberships and shares that must go before their parent does, and no image still in use.
 */
import type { LiveResource, ManifestDoc } from "../kinds/contract.js";
import { nameFromArn } from "../kinds/convert.js";
import { plannerOf } from "../kinds/index.js";
import { OWNER_TAG, PROTECT_TAG } from "./desired.js";
import { AppError } from "./errors.js";
import { DERIVED, parentsOf } from "./parents.js";
import { assertUnprotected, change, type Work } from "./plan-work.js";

/** Whether a live resource absent from the manifest may be deleted (DESIGN.md §3 ownership rules). */
function prunable(l: LiveResource, m: ManifestDoc, prune: boolean, declared: ReadonlySet<string>): boolean {
  switch (l.kind) {
    case "UserAssociation":
      // A declared user's stacks are exact; with an exclusive pool the manifest also speaks for every
      // membership of the stacks it declares (nobody else manages users there).
      if (m.metadata.userPool === "exclusive" && declared.has(parentsOf(l)[1]!)) return true;
      return declared.has(parentsOf(l)[0]!);
    case "FleetAssociation":
    case "ImagePermission":
      // The associations a declared owner declares (see parents.ts) are reconciled exactly, with or
      // without --prune.
      return declared.has(parentsOf(l)[0]!);
    case "User":
      return prune && m.metadata.userPool === "exclusive";
    case "DirectoryConfig":
      // Not taggable, so ownership cannot be proven: never pruned.
      return false;
    default:
      return prune && l.tags?.[OWNER_TAG] === m.metadata.name;
  }
}

/** A live resource's delete. */
function deleteWork(l: LiveResource, why: string, region: string): Work {
  const p = plannerOf(l.kind);
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
  for (const l of undeclared) {
    if (!prunable(l, opts.manifest, opts.prune, declared)) continue;
    works.set(l.address, deleteWork(l, declared.has(parentsOf(l)[0] ?? "") ? "no longer declared" : "not in the manifest (--prune)", opts.region));
  }
  // A plan that deletes or replaces nothing moves no membership: skip looking at each of them.
  for (const w of works.values()) {
    if (w.deleteSteps.length) return followGoingParents(works, live, opts.region, opts.manifest.metadata.name);
  }
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
      works.set(l.address, { change: c, desired: again, live: l, deleteSteps: plannerOf(l.kind).remove(l, { region }), createSteps: plannerOf(l.kind).create(again, { region }) });
    } else {
      // A membership that belongs to its owner (a stack's fleet) is that owner's to remove.
      const owner = parentsOf(l)[0]!;
      if (plannerOf(l.kind).removalChangesOwner && owner !== parentGoing && !ours(owner, works, liveByAddress, set)) {
        blocked.push({ going: parentGoing, owner, membership: l.address });
        continue;
      }
      works.set(l.address, deleteWork(l, `removed before ${parentGoing} is deleted`, region));
    }
  }
  refuseForeignDetach(blocked, set);
}

/** The image a fleet or builder spec streams from, by name (ARNs end in `image/NAME`). */
function imageOf(spec: Record<string, unknown> | undefined): string | undefined {
  if (!spec) return undefined;
  return (spec.imageName as string | undefined) ?? nameFromArn(spec.imageArn as string | undefined);
}

/**
 * An image is never deleted while a fleet or image builder uses it (reference §7.4: DeleteImage fails
 * with ResourceInUse): the delete is dropped and the plan names the users. A user that the plan deletes
 * or moves to another image does not count; one it replaces on the same image does.
 */
export function keepImagesInUse(works: Map<string, Work>, live: readonly LiveResource[]): void {
  const replacedInUse: string[] = [];
  for (const w of works.values()) {
    if (w.change.kind !== "Image" || w.change.actions[0] !== "delete") continue;
    const users = live
      .filter((l) => (l.kind === "Fleet" || l.kind === "ImageBuilder") && imageOf(l.spec) === w.change.name)
      .filter((l) => {
        const other = works.get(l.address);
        // Outside the manifest: it keeps using the image. Deleted for good: it stops. Declared (also when
        // replaced): it uses whatever the manifest says.
        if (!other?.desired) return !other?.deleteSteps.length;
        return imageOf(other.desired.spec) === w.change.name;
      })
      .map((l) => l.address);
    if (!users.length) continue;
    // A replace deletes the image first, and DeleteImage fails while it is in use: the apply would stop
    // half way with the old image gone from the plan's view. Refuse it before anything is sent.
    if (w.change.actions[1] === "create") {
      replacedInUse.push(`${w.change.address} is to be replaced (deleted, then created under the same name), but ${users.join(", ")} ${users.length > 1 ? "stream" : "streams"} from it`);
      continue;
    }
    const c = change(w.change, ["no-op"]);
    c.warnings = [`not deleted: still used by ${users.join(", ")}`];
    works.set(w.change.address, { ...w, change: c, deleteSteps: [] });
    // Its shares stay too: they were going only because the image was.
    for (const [address, share] of works) {
      if (share.change.kind === "ImagePermission" && share.live?.spec.image === w.change.name && !share.desired) works.delete(address);
    }
  }
  if (replacedInUse.length) {
    throw new AppError(
      "plan.image-in-use",
      `${replacedInUse.join("\n")}\nNothing was changed. An image cannot be deleted while it is in use (DeleteImage answers ResourceInUse): ` +
        "give the new image another name (an imageSelector picks it up) and move the fleets and builders to it, then remove the old entry.",
      { source: "user" },
    );
  }
}
