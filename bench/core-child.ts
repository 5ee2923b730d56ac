/**
 * The pure core alone, in a fresh process so its peak RSS is clean: load + validate the manifest, build
 * the desired graph, diff it against a live snapshot saved by the benchmark, and plan. Prints one JSON line
 * `{cpuMs, wallMs, peakRssMb, changes, resources}`.
 *
 * Usage: node dist/bench/core-child.js MANIFEST LIVE_JSON
 */
import { readFileSync } from "node:fs";
import { dirname } from "node:path";
import { buildPlan } from "../src/core/plan.js";
import { resolveSelectors } from "../src/core/selectors.js";
import type { LiveState } from "../src/engine/read.js";
import type { ManifestDoc } from "../src/kinds/contract.js";
import { loadManifest } from "../src/manifest/index.js";
import { BENCH_PASSWORD } from "./estate.js";

const [manifestFile, liveFile] = process.argv.slice(2);
if (!manifestFile || !liveFile) {
  process.stderr.write("usage: core-child MANIFEST LIVE_JSON\n");
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
const live = JSON.parse(readFileSync(liveFile, "utf8")) as LiveState;
const { manifest, reads } = resolveSelectors(loaded.manifest as unknown as ManifestDoc, live.catalog);
const plan = buildPlan({ manifest, live: live.resources, region: "us-east-1", prune: false, reads, createdAt: new Date().toISOString() });
const wallMs = performance.now() - t0;
const cpu = process.cpuUsage(cpu0);
process.stdout.write(JSON.stringify({
  cpuMs: (cpu.user + cpu.system) / 1000,
  wallMs,
  peakRssMb: process.resourceUsage().maxRSS / 1024,
  changes: plan.resourceChanges.filter((c) => c.actions[0] !== "no-op").length,
  resources: plan.resourceChanges.length,
}) + "\n");
