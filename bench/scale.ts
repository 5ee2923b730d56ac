/**
 * The core at 2× and 4× a size without seeding it: the estate of `scaled(s, k)` is k copies of `s` with
 * names running on (bench/estate.ts), so its live state is the size's live snapshot copied k times with
 * each copy's names shifted the same way — what a real read of that estate returns, resource for resource.
 * The one directory config is shared, so only the first copy keeps it.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import type { LiveState } from "../src/engine/read.js";
import { parseLiveText, writeLiveFile } from "./live-file.js";
import { builderName, estateManifest, fleetName, imageName, scaled, stackName, userName, type EstateSize } from "./estate.js";

/** Every generated name in a snapshot's text (padding as estate.ts writes them). */
const NAMES = /\b(fleet|stack|image)-(\d{4})\b|\bbuilder-(\d{3})\b|\buser(\d{5})@example\.com/g;

/** The text of `live` with every name of copy 0 moved to copy `k`. */
function shift(text: string, s: EstateSize, k: number): string {
  return text.replace(NAMES, (m, kind: string | undefined, n4: string | undefined, b3: string | undefined, u5: string | undefined) => {
    if (kind === "fleet") return fleetName(Number(n4) + k * s.fleets);
    if (kind === "stack") return stackName(Number(n4) + k * s.stacks);
    if (kind === "image") return imageName(Number(n4) + k * s.images);
    if (b3 !== undefined) return builderName(Number(b3) + k * s.imageBuilders);
    if (u5 !== undefined) return userName(Number(u5) + k * s.users);
    return m;
  });
}

/** Writes the manifest and live snapshot of `copies` × `s` next to `liveFile`; returns both files. */
export function scaledEstate(s: EstateSize, liveFile: string, copies: number): { manifest: string; live: string } {
  const text = readFileSync(liveFile, "utf8");
  const resources: LiveState["resources"] = [];
  const catalog = new Map<string, LiveState["catalog"][number]>();
  for (let k = 0; k < copies; k++) {
    const live = parseLiveText(k === 0 ? text : shift(text, s, k));
    resources.push(...(k === 0 ? live.resources : live.resources.filter((r) => r.kind !== "DirectoryConfig")));
    for (const c of live.catalog) catalog.set(JSON.stringify(c), c);
  }
  const dir = dirname(liveFile);
  const manifest = join(dir, `appstream-x${copies}.yaml`);
  const live = join(dir, `live-x${copies}.jsonl`);
  writeFileSync(manifest, estateManifest(scaled(s, copies)));
  writeLiveFile(live, { resources, catalog: [...catalog.values()] });
  return { manifest, live };
}
