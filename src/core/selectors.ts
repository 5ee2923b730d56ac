/**
 * `imageSelector` resolution (DESIGN.md §1: the Terraform data source once picked the oldest match).
 * Among AVAILABLE images whose name matches — and the images this same plan produces, which are newer
 * than any that exist — the newest by CreatedTime wins; the result is shown in the plan as a read and
 * written into the entry's imageName, so the rest of the planner sees a plain name (and a fleet on a
 * produced image waits for it like any fleet naming a declared image).
 */
import { LISTED_KINDS } from "../kinds/index.js";
import { selectorRegex } from "../kinds/selector-regex.js";
import type { ManifestDoc } from "../model/resource.js";
import { AppError } from "./errors.js";
import type { PlanRead } from "./plan-types.js";

export type { CatalogImage } from "../model/resource.js";
import type { CatalogImage } from "../model/resource.js";

/** Listed kinds with an image selector field, by kind name (a function: the kinds' rules import this module). */
const selectorKinds = () =>
  LISTED_KINDS.filter((k) => Object.values(k.fields).some((f) => f.role === "selector")).sort((a, b) => a.kind.localeCompare(b.kind));

export { SELECTOR_FLAGS, selectorRegex } from "../kinds/selector-regex.js";

/** States of an image on its way to AVAILABLE (reference §7.2; the image kind waits on the same ones). */
const IN_PRODUCTION: ReadonlySet<string> = new Set(["PENDING", "CREATING", "IMPORTING", "VALIDATING", "COPYING"]);

/**
 * Images the plan makes AVAILABLE: declared with a source and not yet there, or declared and still in
 * production. They count as newer than every existing image.
 */
export function producedImages(m: ManifestDoc, catalog: readonly CatalogImage[]): CatalogImage[] {
  const byName = new Map(catalog.map((i) => [i.name, i]));
  const out: CatalogImage[] = [];
  for (const e of m.images ?? []) {
    const name = String(e.name);
    const live = byName.get(name);
    const producing = live ? live.state !== undefined && IN_PRODUCTION.has(live.state) : e.source !== undefined;
    if (producing) out.push({ name, state: "AVAILABLE", visibility: "PRIVATE", createdTime: live?.createdTime ?? Number.MAX_SAFE_INTEGER, produced: true });
  }
  return out;
}

interface Selector {
  nameRegex: string;
  newest?: boolean;
  type?: string;
}

/** Picks the image a selector names, or explains why none qualifies. */
export function pickImage(sel: Selector, images: readonly CatalogImage[], address: string): CatalogImage {
  const re = selectorRegex(sel.nameRegex);
  const matches = images.filter((i) => i.state === "AVAILABLE" && re.test(i.name) && (!sel.type || i.visibility === sel.type));
  if (!matches.length) {
    throw new AppError("ref.unknown-image", `${address}: imageSelector /${sel.nameRegex}/ matches no AVAILABLE image, and no image this plan produces`, { source: "user" });
  }
  if (sel.newest === false && matches.length > 1) {
    throw new AppError(
      "ref.unknown-image",
      `${address}: imageSelector /${sel.nameRegex}/ matches ${matches.length} images (${matches.map((m) => m.name).join(", ")}); narrow it or set newest: true`,
      { source: "user" },
    );
  }
  return matches.reduce((best, i) => ((i.createdTime ?? 0) > (best.createdTime ?? 0) ? i : best));
}

/** Resolves every selector of fleets and image builders; returns a new manifest and the reads to show. */
export function resolveSelectors(m: ManifestDoc, images: readonly CatalogImage[]): { manifest: ManifestDoc; reads: PlanRead[] } {
  const reads: PlanRead[] = [];
  const produced = producedImages(m, images);
  const names = new Set(produced.map((i) => i.name));
  const candidates = [...images.filter((i) => !names.has(i.name)), ...produced];
  const resolve = (kind: string, entries: Record<string, unknown>[] | undefined) =>
    entries?.map((e) => {
      const sel = e.imageSelector as Selector | undefined;
      if (!sel) return e;
      const address = `${kind}/${String(e.name)}`;
      const img = pickImage(sel, candidates, address);
      reads.push({
        address,
        description: `imageSelector nameRegex ${JSON.stringify(sel.nameRegex)}${sel.type ? `, type ${sel.type}` : ""}${sel.newest === false ? "" : ", newest"}`,
        result: img.produced ? `${img.name} (produced by this plan: waited for until AVAILABLE)` : img.name,
      });
      return { ...e, imageName: img.name };
    });
  const manifest: ManifestDoc = { ...m };
  // Kinds with a selector field, by kind name (the order their reads are shown in).
  for (const kind of selectorKinds()) if (m[kind.key]) manifest[kind.key] = resolve(kind.kind, m[kind.key])!;
  return { manifest, reads };
}
