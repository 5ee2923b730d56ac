/**
 * Ownership of declared resources (DESIGN.md §3): a taggable resource that carries another set's
 * `appstreamctl:set` tag belongs to another manifest. Planning it as declared would re-tag it and pull
 * its fields to this manifest, so two manifests would take it from each other on every apply; the plan
 * refuses instead, and taking it over is an explicit act (`--adopt ADDRESS`).
 */
import type { DesiredResource, LiveResource } from "../kinds/contract.js";
import { OWNER_TAG } from "./desired.js";
import { AppError } from "./errors.js";
import type { Work } from "./plan-work.js";

/** A declared resource that another set owns. */
export interface ForeignOwned {
  address: string;
  owner: string;
}

/** Whether the live resource a declared one matched is another set's, and `adopt` does not name it. */
export function ownedElsewhere(d: Pick<DesiredResource, "address">, l: Pick<LiveResource, "tags">, set: string, adopt: ReadonlySet<string>): boolean {
  const owner = l.tags?.[OWNER_TAG];
  return owner !== undefined && owner !== set && !adopt.has(d.address);
}

/** The declared resources of `works` that another set owns and `adopt` does not name (pure). */
export function foreignOwned(works: readonly Work[], set: string, adopt: ReadonlySet<string>): ForeignOwned[] {
  const out: ForeignOwned[] = [];
  for (let i = 0; i < works.length; i++) {
    const w = works[i]!;
    if (!w.desired || !w.live || !ownedElsewhere(w.desired, w.live, set, adopt)) continue;
    out.push({ address: w.change.address, owner: w.live.tags![OWNER_TAG]! });
  }
  return out;
}

/** Throws `plan.foreign-owner`, naming every such resource and both sets, when there is any. */
export function assertNotForeign(works: readonly Work[], set: string, adopt: ReadonlySet<string>): void {
  const foreign = foreignOwned(works, set, adopt);
  if (!foreign.length) return;
  const lines = foreign.map((f) =>
    `${f.address} belongs to the set "${f.owner}" (tag ${OWNER_TAG}=${f.owner}), not to this manifest's set "${set}"`,
  );
  const adoptFlags = foreign.map((f) => `--adopt ${f.address}`).join(" ");
  throw new AppError(
    "plan.foreign-owner",
    `${lines.join("\n")}\nNothing was changed: appstreamctl never modifies, re-tags or deletes another set's resources. ` +
      `Rename the entry, or take the resource over explicitly with ${adoptFlags}.`,
    { source: "user" },
  );
}

/**
 * Marks each adopted resource's change with the set it is taken from, and returns plan warnings for
 * `--adopt` addresses that name no declared resource of another set (a typo must not pass unseen).
 */
export function noteAdoptions(works: ReadonlyMap<string, Work>, set: string, adopt: ReadonlySet<string>): string[] {
  const warnings: string[] = [];
  for (const address of adopt) {
    const w = works.get(address);
    const owner = w?.live?.tags?.[OWNER_TAG];
    if (!w?.desired) {
      warnings.push(`--adopt ${address}: the manifest declares no such resource`);
    } else if (owner === undefined || owner === set) {
      warnings.push(`--adopt ${address}: no other set owns it; nothing to adopt`);
    } else {
      w.change.warnings = [...(w.change.warnings ?? []), `adopted from the set "${owner}" (--adopt): re-tagged ${OWNER_TAG}=${set}`];
    }
  }
  return warnings;
}
