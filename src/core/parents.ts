/** Which resources a live resource hangs off, for delete ordering and cascades. */
import type { LiveResource } from "../model/resource.js";
import { DERIVED_KINDS, kindNamed, LISTED_KINDS } from "../kinds/index.js";
import { isDerived } from "../kinds/kind.js";
import { dependencyRefs } from "./desired.js";

/** Kinds that exist only as fields of others (memberships and shares). */
export const DERIVED: ReadonlySet<string> = new Set(DERIVED_KINDS.map((k) => k.kind));

/**
 * The memberships and shares of each owner (a derived resource's first parent), so that a listed
 * resource's association field is read from its own few instead of from every live resource: drift
 * and export of 10,000 users against 41,000 live resources took 13 s that way.
 */
export function derivedByOwner(live: readonly LiveResource[]): ReadonlyMap<string, readonly LiveResource[]> {
  const out = new Map<string, LiveResource[]>();
  for (let i = 0; i < live.length; i++) {
    const l = live[i]!;
    const kind = kindNamed(l.kind);
    if (!isDerived(kind)) continue;
    const owner = kind.parents(l)[0];
    if (owner === undefined) continue;
    const list = out.get(owner);
    if (list) list.push(l);
    else out.set(owner, [l]);
  }
  return out;
}

/**
 * The parents a resource hangs off: a derived one's, its owner first (the kind says); a listed one's
 * references, read from the live side (manifest-shaped).
 */
export function parentsOf(l: Pick<LiveResource, "kind" | "spec">): string[] {
  const kind = kindNamed(l.kind);
  if (isDerived(kind)) return kind.parents(l);
  const targetKind = (key: string) => LISTED_KINDS.find((k) => k.key === key)!.kind;
  return [...dependencyRefs(kind), ...(kind.softRefs ?? [])].flatMap((r) => r.names(l.spec).map((n) => `${targetKind(r.target)}/${n}`));
}
