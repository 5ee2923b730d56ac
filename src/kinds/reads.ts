/**
 * Which kinds a plan reads, derived from the kinds' facts: a plan reads only what it can change or what
 * decides a change — the kinds the manifest declares, what `--prune` may delete, the memberships and
 * shares their owners reconcile, the parents those are read per, and the kinds that hold a read kind's
 * resources in use (an image a fleet streams from is not deleted under it).
 */
import type { KindName, ManifestDoc } from "../model/resource.js";
import { ALL_KINDS, DERIVED_KINDS, kindNamed, LISTED_KINDS } from "./index.js";

export interface ReadNeeds {
  /** `--prune`: what this set owns of any kind may be deleted, so every kind that can be owned is read. */
  prune: boolean;
  /** `metadata.userPool: exclusive`: the user pool (and its memberships on declared parents) is the manifest's. */
  exclusivePool: boolean;
  /** The manifest uses a selector: the kinds that list a catalog are read (the catalog serves them). */
  catalog: boolean;
  /** `fieldHolders` of the manifest: of kinds declared by a field, the owners that write it. */
  holders?: ReadonlyMap<KindName, ReadonlySet<string>>;
}

/**
 * Of each kind declared by an owner's field (`declaredBy`), the addresses of the owners whose entries
 * write the field — `theme: none` and `entitlements: []` included: they say "none here", which is managed.
 */
export function fieldHolders(m: ManifestDoc): Map<KindName, Set<string>> {
  const out = new Map<KindName, Set<string>>();
  for (const k of DERIVED_KINDS) {
    if (!k.declaredBy) continue;
    const owner = kindNamed(k.ownerKind);
    if ("derive" in owner) continue;
    const entries = m[owner.key] ?? [];
    out.set(k.kind, new Set(entries.filter((e) => e[k.declaredBy!] !== undefined).map((e) => `${owner.kind}/${String(e[owner.identity])}`)));
  }
  return out;
}

/** The kinds to read for a plan of resources of `declared` kinds (listed or derived). */
export function kindsToRead(declared: ReadonlySet<KindName>, o: ReadNeeds): Set<KindName> {
  // What the plan may create, change or delete; other kinds are read only to decide about these.
  const changeable = new Set<KindName>(declared);
  if (o.prune) {
    for (const k of LISTED_KINDS) if (k.ownership === "tag" || (k.ownership === "user-pool" && o.exclusivePool)) changeable.add(k.kind);
  }
  for (const k of DERIVED_KINDS) {
    // Reconciled exactly whenever its owner is; a pooled one also on its declared other parent; one its
    // owner declares by a field only where some owner writes the field, or for --prune.
    const owned = changeable.has(k.ownerKind) && (!k.declaredBy || o.prune || (o.holders?.get(k.kind)?.size ?? 0) > 0);
    if (owned || (k.pooled === true && o.exclusivePool && declared.has(k.readPer))) changeable.add(k.kind);
  }
  const out = new Set<KindName>(changeable);
  if (o.catalog) for (const k of LISTED_KINDS) if (k.catalog) out.add(k.kind);
  for (const k of ALL_KINDS) if (k.holdsKind && changeable.has(k.holdsKind)) out.add(k.kind);
  for (const k of DERIVED_KINDS) if (out.has(k.kind)) out.add(k.readPer);
  return out;
}
