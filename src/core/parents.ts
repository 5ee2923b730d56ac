/** Which resources a live resource hangs off, for delete ordering and cascades. */
import type { LiveResource } from "../kinds/contract.js";
import { LISTED_KINDS } from "../kinds/index.js";
import { dependencyRefs } from "./desired.js";

/** Kinds that exist only as fields of others (memberships and shares). */
export const DERIVED: ReadonlySet<string> = new Set(["FleetAssociation", "UserAssociation", "ImagePermission"]);

/**
 * The parents a derived resource hangs off, its owner first: the field that declares it is the owner's
 * (a stack's `fleet`, a user's `stacks`, an image's `sharedWith`), so memberships are exact for declared
 * users and left alone for users managed elsewhere.
 */
export function parentsOf(l: Pick<LiveResource, "kind" | "spec">): string[] {
  switch (l.kind) {
    case "FleetAssociation": return [`Stack/${String(l.spec.stack)}`, `Fleet/${String(l.spec.fleet)}`];
    case "UserAssociation": return [`User/${String(l.spec.user)}`, `Stack/${String(l.spec.stack)}`];
    case "ImagePermission": return [`Image/${String(l.spec.image)}`];
    default: {
      // Listed kinds: their references, read from the live side (manifest-shaped).
      const kind = LISTED_KINDS.find((k) => k.kind === l.kind);
      if (!kind) return [];
      const targetKind = (key: string) => LISTED_KINDS.find((k) => k.key === key)!.kind;
      return [...dependencyRefs(kind), ...(kind.softRefs ?? [])].flatMap((r) => r.names(l.spec).map((n) => `${targetKind(r.target)}/${n}`));
    }
  }
}

