/** Which resources a live resource hangs off, for delete ordering and cascades. */
import type { LiveResource } from "../model/resource.js";
import { DERIVED_KINDS, kindNamed, LISTED_KINDS } from "../kinds/index.js";
import { isDerived } from "../kinds/kind.js";
import { dependencyRefs } from "./desired.js";

/** Kinds that exist only as fields of others (memberships and shares). */
export const DERIVED: ReadonlySet<string> = new Set(DERIVED_KINDS.map((k) => k.kind));

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
