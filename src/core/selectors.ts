/**
 * `imageSelector` resolution (DESIGN.md §1: the Terraform data source once picked the oldest match).
 * Among AVAILABLE images whose name matches — and the images this same plan produces, which are newer
 * than any that exist — the newest by CreatedTime wins; the result is shown in the plan as a read and
 * written into the entry's imageName, so the rest of the planner sees a plain name (and a fleet on a
 * produced image waits for it like any fleet naming a declared image).
 */
import { entriesOf, LISTED_KINDS } from "../kinds/index.js";
import type { ListedKindDef } from "../kinds/kind.js";
import { selectorRegex } from "../kinds/selector-regex.js";
import type { CatalogImage, LiveResource, ManifestDoc } from "../model/resource.js";
import { OWNER_TAG, PROTECT_TAG } from "./owner-tags.js";
import { AppError } from "./errors.js";
import type { PlanRead } from "./plan-types.js";

export type { CatalogImage } from "../model/resource.js";

export { SELECTOR_FLAGS, selectorRegex } from "../kinds/selector-regex.js";

/** Listed kinds with a selector field, by kind name (the order their reads are shown in). */
const selectorKinds = (): ListedKindDef[] =>
  LISTED_KINDS.filter((k) => Object.values(k.fields).some((f) => f.role === "selector")).sort((a, b) => a.kind.localeCompare(b.kind));

/** The kind selectors choose from: the one whose whole catalog can be read. */
export const selectedKind = (): ListedKindDef => LISTED_KINDS.find((k) => k.catalog)!;

/** States of an image on its way to AVAILABLE (reference §7.2; the image kind waits on the same ones). */
const IN_PRODUCTION: ReadonlySet<string> = new Set(["PENDING", "CREATING", "IMPORTING", "VALIDATING", "COPYING"]);

/**
 * Images the plan makes AVAILABLE: declared with a source and not yet there, or declared and still in
 * production. They count as newer than every existing image. Among the ones this plan creates, which is
 * newest is decided here and made true by the plan (`producedAfter`): they are ranked by creation order —
 * an update after the image it updates, otherwise manifest order — and a selector's pick is created after
 * every other image it matches.
 */
export function producedImages(m: ManifestDoc, catalog: readonly CatalogImage[]): CatalogImage[] {
  const byName = new Map(catalog.map((i) => [i.name, i]));
  const fresh = creationOrder((entriesOf(m, selectedKind())).filter((e) => !byName.has(String(e.name)) && e.source !== undefined));
  const out: CatalogImage[] = [];
  for (const e of entriesOf(m, selectedKind())) {
    const name = String(e.name);
    const live = byName.get(name);
    if (live) {
      if (live.state !== undefined && IN_PRODUCTION.has(live.state)) out.push({ name, state: "AVAILABLE", visibility: "PRIVATE", ...(live.createdTime !== undefined ? { createdTime: live.createdTime } : {}), produced: true });
    } else if (e.source !== undefined) {
      out.push({ name, state: "AVAILABLE", visibility: "PRIVATE", createdTime: Number.MAX_SAFE_INTEGER - fresh.length + fresh.indexOf(name), produced: true, created: true });
    }
  }
  return out;
}

/** Names of the images to be created, in an order where an update follows the image it updates. */
function creationOrder(entries: readonly Record<string, unknown>[]): string[] {
  const names = new Set(entries.map((e) => String(e.name)));
  const source = new Map(entries.map((e) => [String(e.name), (e.source as { updateOf?: string } | undefined)?.updateOf]));
  const depth = (name: string, seen: Set<string> = new Set()): number => {
    const from = source.get(name);
    if (from === undefined || !names.has(from) || seen.has(from)) return 0;
    return 1 + depth(from, seen.add(name));
  };
  return entries.map((e, i) => ({ name: String(e.name), d: depth(String(e.name)), i })).sort((a, b) => a.d - b.d || a.i - b.i).map((x) => x.name);
}

/**
 * For each image a selector picked among several that this plan creates: the others it matches, which the
 * plan creates first so that the pick is the newest once they all exist (and the next plan picks it again).
 */
export function producedAfter(m: ManifestDoc, created: ReadonlySet<string>): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const e of selectorKinds().flatMap((k) => entriesOf(m, k))) {
    const sel = e.imageSelector as Selector | undefined;
    const picked = e.imageName as string | undefined;
    if (!sel || picked === undefined || !created.has(picked) || sel.type === "PUBLIC") continue;
    const re = selectorRegex(sel.nameRegex);
    const others = [...created].filter((n) => n !== picked && re.test(n));
    if (others.length) out.set(picked, [...new Set([...(out.get(picked) ?? []), ...others])]);
  }
  return out;
}

interface Selector {
  nameRegex: string;
  newest?: boolean;
  type?: string;
}

function matches(sel: Selector, re: RegExp, i: CatalogImage): boolean {
  return i.state === "AVAILABLE" && re.test(i.name) && (!sel.type || i.visibility === sel.type);
}

/** Picks the image a selector names, or explains why none qualifies. */
export function pickImage(sel: Selector, images: readonly CatalogImage[], address: string): CatalogImage {
  const re = selectorRegex(sel.nameRegex);
  const found = images.filter((i) => matches(sel, re, i));
  if (!found.length) {
    throw new AppError("ref.unknown-image", `${address}: imageSelector /${sel.nameRegex}/ matches no AVAILABLE image, and no image this plan produces`, { source: "user" });
  }
  if (sel.newest === false && found.length > 1) {
    throw new AppError(
      "ref.unknown-image",
      `${address}: imageSelector /${sel.nameRegex}/ matches ${found.length} images (${found.map((m) => m.name).join(", ")}); narrow it or set newest: true`,
      { source: "user" },
    );
  }
  return found.reduce((best, i) => ((i.createdTime ?? 0) > (best.createdTime ?? 0) ? i : best));
}

/**
 * Images `plan --prune` deletes: private images of this set that the manifest no longer declares (and that
 * are not protected). A selector never resolves to one: the fleet would keep the image alive ("still used")
 * while the manifest says it is gone.
 */
export function prunedImages(live: readonly LiveResource[], m: ManifestDoc, prune: boolean): Set<string> {
  if (!prune) return new Set();
  const declared = new Set((entriesOf(m, selectedKind())).map((e) => String(e.name)));
  return new Set(live.filter((r) => r.kind === selectedKind().kind && r.tags?.[OWNER_TAG] === m.metadata.name && r.tags[PROTECT_TAG] !== "true" && !declared.has(r.name)).map((r) => r.name));
}

/** Resolves every selector of fleets and image builders; returns a new manifest and the reads to show. */
export function resolveSelectors(m: ManifestDoc, images: readonly CatalogImage[], going: ReadonlySet<string> = new Set()): { manifest: ManifestDoc; reads: PlanRead[] } {
  const reads: PlanRead[] = [];
  const produced = producedImages(m, images);
  const names = new Set(produced.map((i) => i.name));
  const candidates = [...images.filter((i) => !names.has(i.name) && !going.has(i.name)), ...produced];
  const resolve = (kind: string, entries: Record<string, unknown>[] | undefined) =>
    entries?.map((e) => {
      const sel = e.imageSelector as Selector | undefined;
      if (!sel) return e;
      const address = `${kind}/${String(e.name)}`;
      const img = pickImage(sel, candidates, address);
      const before = img.created ? candidates.filter((i) => i.created && i !== img && matches(sel, selectorRegex(sel.nameRegex), i)).map((i) => i.name) : [];
      reads.push({
        address,
        description: `imageSelector nameRegex ${JSON.stringify(sel.nameRegex)}${sel.type ? `, type ${sel.type}` : ""}${sel.newest === false ? "" : ", newest"}`,
        result: !img.produced ? img.name
          : before.length ? `${img.name} (produced by this plan, created after ${before.join(", ")} so that it is the newest: waited for until AVAILABLE)`
          : `${img.name} (produced by this plan: waited for until AVAILABLE)`,
      });
      return { ...e, imageName: img.name };
    });
  const manifest: ManifestDoc = { ...m };
  for (const kind of selectorKinds()) if (m[kind.key]) (manifest as Record<string, unknown>)[kind.key] = resolve(kind.kind, entriesOf(m, kind));
  return { manifest, reads };
}
