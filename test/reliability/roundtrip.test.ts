/**
 * Property-based round trip (issue 14, "Must show"): seeded random valid manifests (gen-manifest.ts) →
 * apply → plan is a no-op → live state, read independently with raw SDK calls, equals the manifest field by
 * field → drift is clean → export → the plan of the export is a no-op; then rounds of random edits (change,
 * remove, add a field, flip state, move a stack, memberships, tags, delete with --prune, rename, add an
 * entry) → apply --prune → plan no-op → live equals the manifest again.
 *
 * Small in `npm test`, larger with RELIABILITY_FULL=1. ROUNDTRIP_SEEDS=a-b picks seeds, ROUNDTRIP_ROUNDS=n the
 * edit rounds, ROUNDTRIP_INCLUDE / ROUNDTRIP_EXCLUDE turn classes of KNOWN_CLASSES on / off, ROUNDTRIP_OUT=dir
 * writes each failing manifest there.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { stringify } from "yaml";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DriftReport } from "../../src/core/drift.js";
import type { Plan } from "../../src/core/plan-types.js";
import { startTestEmulator } from "../emulator/helpers.js";
import { cli as e2eCli, fakeAwsCredentials, PASSWORD, writeManifest } from "../e2e/helpers.js";
import { Gen, generateManifest, includedClasses, KNOWN_CLASSES, type Manifest } from "./gen-manifest.js";
import { countManifest, editManifest, expectedFields } from "./roundtrip-edits.js";
import { assertNoSecret, FULL, record } from "./helpers.js";
import { changedEntries, liveMismatches } from "./roundtrip-live.js";

const CLASSES = includedClasses();
const ROUNDS = Number(process.env.ROUNDTRIP_ROUNDS ?? (FULL ? 6 : 3));
function seeds(): number[] {
  const range = process.env.ROUNDTRIP_SEEDS?.match(/^(\d+)-(\d+)$/);
  if (range) return Array.from({ length: Number(range[2]) - Number(range[1]) + 1 }, (_, i) => Number(range[1]) + i);
  return Array.from({ length: FULL ? 60 : 8 }, (_, i) => i + 1);
}
const SEEDS = seeds();
const ENV = { APPSTREAM_DIRECTORY_PASSWORD_1: PASSWORD, APPSTREAM_DIRECTORY_PASSWORD_2: PASSWORD, APPSTREAM_DIRECTORY_PASSWORD_3: PASSWORD };

async function cli(url: string, args: string[]) {
  const r = await e2eCli(url, args, { env: ENV });
  assertNoSecret(args.join(" "), r.stdout, r.stderr);
  return r;
}

/** Addresses whose plan is not a no-op, with the changed paths. */
function changes(plan: Plan): string[] {
  return plan.resourceChanges
    .filter((c) => c.actions[0] !== "no-op")
    .map((c) => `${c.address} ${c.actions.join(",")}${c.diff?.length ? ` (${c.diff.map((d) => `${d.path}: ${JSON.stringify(d.before)} → ${JSON.stringify(d.after)}`).join("; ")})` : ""}`);
}

const yamlOf = (m: Manifest): string => stringify(m, { lineWidth: 0 });

let scenarios = 0;
let converged = 0;
let applies = 0;
const coverage = new Map<string, number>();
beforeAll(fakeAwsCredentials);
afterAll(() => {
  const off = Object.keys(KNOWN_CLASSES).filter((c) => !CLASSES.has(c as never));
  record({
    suite: "round trip", cases: scenarios, faults: "none (random valid manifests and edits)", converged, lost: scenarios - converged,
    note: `${SEEDS.length} seeds × (create, drift + export, ${ROUNDS} edit rounds, drift + export), ${applies} applies; classes held back: ${off.join(", ") || "none"}`,
  });
});

/** One stage of one seed: what ran, and every way it failed to converge. */
interface Stage {
  stage: string;
  problems: string[];
}

async function converge(url: string, client: Parameters<typeof liveMismatches>[0], m: Manifest, stage: string, prune: boolean): Promise<Stage> {
  scenarios++;
  applies++;
  const file = writeManifest(yamlOf(m));
  const a = await cli(url, ["-f", file, "apply", "--auto-approve", "--allow-disruption", ...(prune ? ["--prune"] : [])]);
  if (a.code !== 0) {
    const lines = `${a.stdout}\n${a.stderr}`.split("\n");
    const why = lines.filter((l) => /error|fail|exception/i.test(l) && !/^(start|done) /.test(l)).slice(0, 6);
    return { stage, problems: [`apply exited ${a.code}: ${(why.length ? why : lines.slice(-6)).join(" | ")}`] };
  }
  const p = await cli(url, ["-f", file, "-o", "json", "plan", ...(prune ? ["--prune"] : [])]);
  if (p.code !== 0) return { stage, problems: [`plan exited ${p.code}: ${p.stderr.trim()}`] };
  const problems = changes(JSON.parse(p.stdout) as Plan).map((c) => `plan after apply: ${c}`);
  problems.push(...(await liveMismatches(client, m)).map((x) => `live: ${x}`));
  if (!problems.length) converged++;
  return { stage, problems };
}

/** Every entry an edit changed must be changed by the plan (a declared field that is never compared fails here). */
async function planned(url: string, m: Manifest, changed: string[], stage: string): Promise<Stage> {
  if (!changed.length) return { stage, problems: [] };
  const p = await cli(url, ["-f", writeManifest(yamlOf(m)), "-o", "json", "plan", "--prune"]);
  if (p.code !== 0) return { stage, problems: [`plan exited ${p.code}: ${p.stderr.trim().split("\n").slice(0, 6).join(" | ")}`] };
  const touched = (JSON.parse(p.stdout) as Plan).resourceChanges.filter((c) => c.actions[0] !== "no-op").flatMap((c) => c.address.split("/"));
  return { stage, problems: changed.filter((name) => !touched.includes(name)).map((name) => `plan: the edit of ${name} plans no change`) };
}

async function driftAndExport(url: string, m: Manifest): Promise<Stage> {
  scenarios++;
  const problems: string[] = [];
  const file = writeManifest(yamlOf(m));
  const d = await cli(url, ["-f", file, "-o", "json", "drift"]);
  if (d.code !== 0 && d.code !== 2) problems.push(`drift exited ${d.code}: ${d.stderr.trim()}`);
  else {
    const report = JSON.parse(d.stdout) as DriftReport;
    // Left behind by design: directory configs (no tags, never pruned) and, in a shared pool, users.
    const leftover = (a: string) => a.startsWith("DirectoryConfig/") || (m.metadata.userPool === "shared" && /^User(Association)?\//.test(a));
    for (const i of [...report.changed, ...report.missing]) problems.push(`drift: ${i.address} ${JSON.stringify(i.diff)}`);
    for (const i of report.unmanaged) if (!leftover(i.address)) problems.push(`drift: unmanaged ${i.address}`);
  }
  const x = await cli(url, ["export", "--set", m.metadata.name]);
  if (x.code !== 0) problems.push(`export exited ${x.code}: ${x.stderr.trim()}`);
  else {
    const exported = writeManifest(x.stdout);
    const p = await cli(url, ["-f", exported, "-o", "json", "plan"]);
    if (p.code !== 0) problems.push(`plan of the export exited ${p.code}: ${p.stderr.trim().split("\n").slice(0, 6).join(" | ")}`);
    else problems.push(...changes(JSON.parse(p.stdout) as Plan).map((c) => `plan of the export: ${c}`));
  }
  if (!problems.length) converged++;
  return { stage: "drift + export", problems };
}

function report(seed: number, m: Manifest, failed: Stage): string {
  const out = process.env.ROUNDTRIP_OUT;
  if (out) {
    mkdirSync(out, { recursive: true });
    writeFileSync(join(out, `seed-${seed}.yaml`), `# ${failed.stage}\n${failed.problems.map((p) => `# ${p}`).join("\n")}\n${yamlOf(m)}`);
  }
  return `seed ${seed}, ${failed.stage}:\n  ${failed.problems.join("\n  ")}`;
}

describe("round trip: random valid manifests converge in one apply, and stay converged under random edits", () => {
  it.for(SEEDS)("seed %i", { timeout: 600_000 }, async (seed) => {
    const t = await startTestEmulator();
    try {
      const g = new Gen(seed, CLASSES);
      const m = generateManifest(g, seed);
      countManifest(g, m);
      let stage = await converge(t.emu.url, t.client, m, "create", false);
      if (!stage.problems.length) stage = await driftAndExport(t.emu.url, m);
      for (let round = 1; round <= ROUNDS && !stage.problems.length; round++) {
        const before = structuredClone(m);
        const edits = editManifest(g, m);
        const what = `round ${round}: ${edits.map((e) => e.what).join("; ") || "no edit"}`;
        stage = await planned(t.emu.url, m, changedEntries(before, m), what);
        if (!stage.problems.length) stage = await converge(t.emu.url, t.client, m, what, true);
      }
      // The edited estate exports and drifts as cleanly as the first one.
      if (!stage.problems.length) stage = await driftAndExport(t.emu.url, m);
      for (const [k, v] of g.coverage) coverage.set(k, (coverage.get(k) ?? 0) + v);
      expect(stage.problems.length ? report(seed, m, stage) : "").toBe("");
    } finally {
      await t.close();
    }
  });

  it("every field of every kind was generated several times", () => {
    if (process.env.ROUNDTRIP_SEEDS) return;
    const rare = expectedFields(CLASSES).filter((f) => (coverage.get(f) ?? 0) < 3);
    expect(rare).toEqual([]);
  });
});
