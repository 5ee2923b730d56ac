/**
 * The pure core alone, in a fresh process so its peak RSS is clean: load + validate the manifest, build
 * the desired graph, diff it against a live snapshot saved by the benchmark, and plan (or, with `drift`,
 * compare it as `drift` does). Prints one JSON line `{cpuMs, wallMs, peakRssMb, changes, resources}`:
 * changes are the plan's changes, or the drift report's items.
 *
 * Usage: node dist/bench/core-child.js MANIFEST LIVE_JSON [plan|drift]
 */
import { dirname } from "node:path";
import { computeDrift } from "../src/core/drift.js";
import { buildPlan } from "../src/core/plan.js";
import { resolveSelectors } from "../src/core/selectors.js";
import type { ManifestDoc } from "../src/kinds/contract.js";
import { loadManifest } from "../src/manifest/index.js";
import { BENCH_PASSWORD } from "./estate.js";
import { readLiveFile } from "./live-file.js";

const [manifestFile, liveFile, mode = "plan"] = process.argv.slice(2);
if (!manifestFile || !liveFile || (mode !== "plan" && mode !== "drift")) {
  process.stderr.write("usage: core-child MANIFEST LIVE_JSON [plan|drift]\n");
  process.exit(1);
}
const cpu0 = process.cpuUsage();
const t0 = performance.now();
const loaded = await loadManifest({ cwd: dirname(manifestFile), env: { APPSTREAM_AD_PASSWORD: BENCH_PASSWORD } }, [manifestFile]);
const errors = loaded.diagnostics.filter((d) => d.severity === "error");
if (errors.length > 0) {
  process.stderr.write(`manifest has ${errors.length} errors, first: ${errors[0]!.code} ${errors[0]!.message}\n`);
  process.exit(1);
}
// The live snapshot is the input the diff needs; parsing it is part of the core's work in a real plan too.
const live = readLiveFile(liveFile);
const { manifest, reads } = resolveSelectors(loaded.manifest as unknown as ManifestDoc, live.catalog);
const createdAt = new Date().toISOString();
let changes: number;
let resources: number;
if (mode === "drift") {
  const report = computeDrift({ manifest, live: live.resources, region: "us-east-1", createdAt });
  changes = report.changed.length + report.missing.length + report.unmanaged.length;
  resources = live.resources.length;
} else {
  const plan = buildPlan({ manifest, live: live.resources, region: "us-east-1", prune: false, reads, createdAt });
  changes = plan.resourceChanges.filter((c) => c.actions[0] !== "no-op").length;
  resources = plan.resourceChanges.length;
}
const wallMs = performance.now() - t0;
const cpu = process.cpuUsage(cpu0);
process.stdout.write(JSON.stringify({
  cpuMs: (cpu.user + cpu.system) / 1000,
  wallMs,
  peakRssMb: process.resourceUsage().maxRSS / 1024,
  changes,
  resources,
}) + "\n");
