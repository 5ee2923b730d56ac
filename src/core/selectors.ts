/**
 * `imageSelector` resolution (DESIGN.md §1: the Terraform data source once picked the oldest match).
 * Among AVAILABLE images whose name matches, the newest by CreatedTime wins; the result is shown in the
 * plan as a read and written into the entry's imageName, so the rest of the planner sees a plain name.
 */
import type { ManifestDoc } from "../kinds/contract.js";
import { AppError } from "./errors.js";
import type { PlanRead } from "./plan-types.js";

export interface CatalogImage {
  name: string;
  state?: string;
  visibility?: string;
  createdTime?: number;
}

interface Selector {
  nameRegex: string;
  newest?: boolean;
  type?: string;
}

/** Picks the image a selector names, or explains why none qualifies. */
export function pickImage(sel: Selector, images: readonly CatalogImage[], address: string): CatalogImage {
  const re = new RegExp(sel.nameRegex, "u");
  const matches = images.filter((i) => i.state === "AVAILABLE" && re.test(i.name) && (!sel.type || i.visibility === sel.type));
  if (!matches.length) {
    throw new AppError("ref.unknown-image", `${address}: imageSelector /${sel.nameRegex}/ matches no AVAILABLE image`, { source: "user" });
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
  const resolve = (kind: string, entries: Record<string, unknown>[] | undefined) =>
    entries?.map((e) => {
      const sel = e.imageSelector as Selector | undefined;
      if (!sel) return e;
      const address = `${kind}/${String(e.name)}`;
      const img = pickImage(sel, images, address);
      reads.push({
        address,
        description: `imageSelector nameRegex ${JSON.stringify(sel.nameRegex)}${sel.type ? `, type ${sel.type}` : ""}${sel.newest === false ? "" : ", newest"}`,
        result: img.name,
      });
      return { ...e, imageName: img.name };
    });
  const manifest: ManifestDoc = { ...m };
  if (m.fleets) manifest.fleets = resolve("Fleet", m.fleets)!;
  if (m.imageBuilders) manifest.imageBuilders = resolve("ImageBuilder", m.imageBuilders)!;
  return { manifest, reads };
}
