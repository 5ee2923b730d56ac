/**
 * The desired graph: one resource per manifest entry, plus the resources derived from fields of entries
 * (associations and image permissions), each with its dependency edges and its effective tags.
 */
import type { AnyListedKind, DesiredResource, ManifestDoc, ManifestKey } from "../kinds/contract.js";
import type { SingletonKey } from "../model/resource.js";
import { DERIVED_KINDS, entriesOf, LISTED_KINDS, SHORTHAND_KINDS } from "../kinds/index.js";
import { OWNER_TAG, PROTECT_TAG } from "./owner-tags.js";
import { WRITTEN_TAG, writtenTag } from "./written.js";

export { OWNER_TAG, PROTECT_TAG } from "./owner-tags.js";

function namesIn(m: ManifestDoc, key: ManifestKey): Set<string> {
  const kind = LISTED_KINDS.find((k) => k.key === key)!;
  return new Set(entriesOf(m, kind).map((e) => String(e[kind.identity])));
}

/** References that make the entry itself wait (not those of association fields such as a stack's fleet). */
export function dependencyRefs(kind: AnyListedKind): AnyListedKind["refs"] {
  return kind.refs.filter((r) => kind.fields[String(r.path[0])]?.role !== "association");
}

/** The manifest with shorthand entries (user groups) written out as the entries they stand for. */
export function expandShorthands(m: ManifestDoc): ManifestDoc {
  const out: ManifestDoc = { ...m };
  for (const kind of SHORTHAND_KINDS) {
    // Shorthands and what they expand into are lists, never singletons.
    const entries = m[kind.key] as Record<string, unknown>[] | undefined;
    const into = kind.expand?.into as Exclude<ManifestKey, SingletonKey> | undefined;
    if (!kind.expand || !into || !entries?.length) continue;
    out[into] = [...(out[into] ?? []), ...entries.flatMap((e) => kind.expand!.entries(e))];
    delete out[kind.key];
  }
  return out;
}

/** The dependencies of an entry without references; frozen, as nothing adds to a resource's list in place. */
const NO_DEPENDENCIES: string[] = Object.freeze([]) as unknown as string[];

/** Every resource the manifest declares, listed kinds first, then derived ones. */
export function desiredResources(manifest: ManifestDoc): DesiredResource[] {
  const m = expandShorthands(manifest);
  const present = new Map<ManifestKey, Set<string>>();
  const has = (key: ManifestKey, name: string): boolean => {
    if (!present.has(key)) present.set(key, namesIn(m, key));
    return present.get(key)!.has(name);
  };
  const out: DesiredResource[] = [];
  const targetKind = (key: ManifestKey) => LISTED_KINDS.find((k) => k.key === key)!.kind;
  for (const kind of LISTED_KINDS) {
    // External references (metadata `external`) are not in the manifest, so they are no edges; references
    // held by association fields are edges of the association kinds, not of the entry itself.
    const refs = [...dependencyRefs(kind), ...(kind.softRefs ?? [])];
    entriesOf(m, kind).forEach((entry, i) => {
      const name = String(entry[kind.identity]);
      // A user has no reference of its own (its stacks are memberships): 10,000 of them share one list.
      let dependsOn = NO_DEPENDENCIES;
      if (refs.length) {
        const deps = new Set<string>();
        for (const ref of refs) {
          for (const n of ref.names(entry)) if (has(ref.target, n)) deps.add(`${targetKind(ref.target)}/${n}`);
        }
        dependsOn = [...deps];
      }
      const r: DesiredResource = { kind: kind.kind, name, address: `${kind.kind}/${name}`, spec: entry, pointer: kind.singleton ? `/${kind.key}` : `/${kind.key}/${i}`, dependsOn };
      if (kind.taggable) {
        r.tags = {
          ...(m.defaults?.tags ?? {}),
          ...((entry.tags as Record<string, string> | undefined) ?? {}),
          ...(entry.protect === true ? { [PROTECT_TAG]: "true" } : {}),
          [OWNER_TAG]: m.metadata.name,
        };
        const written = writtenTag(kind.fields, entry);
        if (written !== undefined) r.tags[WRITTEN_TAG] = written;
      }
      if (entry.protect === true) r.protect = true;
      out.push(r);
    });
  }
  const addresses = new Set<string>();
  for (let i = 0; i < out.length; i++) addresses.add(out[i]!.address);
  for (const derived of DERIVED_KINDS) {
    // derive returns fresh resources (30,000 memberships on a large estate): filtered in place, not
    // copied; looped by index (plan-work.ts says why).
    const list = derived.derive(m);
    for (let i = 0; i < list.length; i++) {
      const d = list[i]!;
      if (!d.dependsOn.every((a) => addresses.has(a))) d.dependsOn = d.dependsOn.filter((a) => addresses.has(a));
      out.push(d);
    }
  }
  return out;
}
