/**
 * `npm run bench [-- options]`: the scale benchmark (issue #8, docs/BENCHMARKS.md).
 *
 * Options: `--quick` (small estate only, the per-resource baseline run without the rate limit: under a
 * minute), `--size small|medium|large` (repeatable; default all three), `--check`
 * (exit 1 when a target is missed), `--latency MS` (30), `--rate RPS` (10), `--page-size N` (server page
 * size, 25), `--baseline-max-seconds S` (run the baseline at the rate limit only when its floor
 * calls/rate is at most S; default 120, 0 with --quick), `--fleet-start-scale X` (emulator time scale of
 * the apply measurement: one fleet start = 5 s × X; default 6 — a shorter start makes the 40 create and
 * start calls under the rate limit, not the waits, what is measured), `--out FILE` (JSON; default
 * bench/results/bench-<date>.json), `--help`.
 *
 * On the smallest and the largest size measured (small alone with --quick) it also runs the scenarios
 * (bench/scenarios.ts: a --target plan, users added by one apply, apply PLANFILE of one change, the plan's
 * scaling reads) and measures the core at 2× and 4× the size (bench/scale.ts) and the drift core at 1× and 4×.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { cpus, freemem, totalmem } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { baselineCalls, countOps, minimumCalls, runBaseline } from "./calls.js";
import { callLog, clearCalls, setFaults, spawnEmulator, REPO } from "./emulator.js";
import { estateManifest, newFleetsManifest, quotasFor, SIZES, type EstateSize } from "./estate.js";
import { measureApply, measureCore, measurePlan, seed, snapshotLive, writeManifest, type ApplyFigures, type CoreFigures, type PlanFigures } from "./measure.js";
import { checkTargets, renderReport } from "./report.js";
import { scaledEstate } from "./scale.js";
import { measureScenarios, type ScenarioFigures } from "./scenarios.js";

const USAGE = `usage: npm run bench -- [--quick] [--check] [--size small|medium|large]... [--latency MS] [--rate RPS]
  [--page-size N] [--baseline-max-seconds S] [--fleet-start-scale X] [--out FILE]
  --quick   small size only, baseline without the rate limit (about 2 minutes)
  --check   exit 1 when a target is missed
The no-op plan, per-resource baseline and core run at every size; the scenarios (--target plan, users added,
apply PLANFILE, scaling reads), the core at 2x/4x and the drift core at 1x/4x at the smallest and largest
size. docs/BENCHMARKS.md has the definitions.
`;

/** Parsed options. */
export interface BenchOptions {
  quick: boolean;
  check: boolean;
  sizes: EstateSize["name"][];
  latencyMs: number;
  rate: number;
  pageSize: number;
  baselineMaxSeconds: number;
  fleetStartScale: number;
  out: string;
}

/** Everything measured for one size. */
export interface SizeResult {
  size: EstateSize;
  seed: { ms: number; calls: number };
  plan: PlanFigures;
  /** When the default plan failed: the same plan at --read-concurrency 1, so the size still has figures. */
  planRetry?: PlanFigures;
  minimum: { total: number; byOperation: Record<string, number> };
  baseline: { calls: number; byOperation: Record<string, number>; attempts: number; measuredMs: number; rateLimited: boolean; wallMs: number };
  core: CoreFigures;
  /** On the sizes the scenarios run at (see the file comment). */
  scenarios?: ScenarioFigures;
  /** The core at 1×, 2× and 4× the size (1× is `core`). */
  coreScaling?: { copies: number; resources: number; core: CoreFigures }[];
  /** The core of `drift` (compare instead of plan) at 1× and 4× the size. */
  driftScaling?: { copies: number; resources: number; core: CoreFigures }[];
}

/** The JSON written to bench/results/. */
export interface BenchResult {
  date: string;
  machine: { cpus: number; cpuModel: string; totalMemGb: number; freeMemGb: number; node: string };
  options: BenchOptions;
  sizes: SizeResult[];
  apply: ApplyFigures;
}

function parseArgs(argv: string[]): BenchOptions {
  const quick = argv.includes("--quick");
  const value = (name: string): string | undefined => {
    const i = argv.indexOf(name);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const num = (name: string, dflt: number): number => {
    const v = value(name);
    if (v === undefined) return dflt;
    const n = Number(v);
    if (!Number.isFinite(n) || n < 0) throw new Error(`${name}: expected a number ≥ 0, got ${v}`);
    return n;
  };
  const sizes = argv.flatMap((a, i) => (a === "--size" ? [argv[i + 1] ?? ""] : [])).flatMap((s) => s.split(","));
  for (const s of sizes) if (!(s in SIZES)) throw new Error(`--size: expected small, medium or large, got "${s}"`);
  const date = new Date().toISOString();
  return {
    quick, check: argv.includes("--check"),
    sizes: (sizes.length > 0 ? sizes : quick ? ["small"] : ["small", "medium", "large"]) as EstateSize["name"][],
    latencyMs: num("--latency", 30), rate: num("--rate", 10), pageSize: num("--page-size", 25),
    baselineMaxSeconds: num("--baseline-max-seconds", quick ? 0 : 120),
    fleetStartScale: num("--fleet-start-scale", 6),
    out: value("--out") ?? join(REPO, "bench", "results", `bench-${date.slice(0, 19).replace(/:/g, "")}.json`),
  };
}

function log(line: string): void {
  process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${line}\n`);
}

async function measureSize(o: BenchOptions, size: EstateSize, benchDir: string, withScenarios: boolean): Promise<SizeResult> {
  const text = estateManifest(size);
  const file = writeManifest(text);
  const emu = await spawnEmulator(["--time-scale", "0", "--page-size", String(o.pageSize), "--quotas", quotasFor(size)]);
  let served: Omit<SizeResult, "core">;
  let liveFile: string;
  try {
    log(`${size.name}: seeding with appstreamctl apply (faults off)`);
    const seeded = await seed(emu.url, file);
    log(`${size.name}: seeded in ${(seeded.ms / 1000).toFixed(1)} s (${seeded.calls} calls); plan at latency ${o.latencyMs} ms, ${o.rate} req/s`);
    const plan = await measurePlan(emu.url, file, `latency=${o.latencyMs}ms,rate=${o.rate}`);
    log(`${size.name}: plan ${plan.calls} calls in ${(plan.wallMs / 1000).toFixed(1)} s (exit ${plan.exitCode}${plan.error ? `: ${plan.error}` : ""})`);
    let planRetry: PlanFigures | undefined;
    if (plan.exitCode === 1) {
      log(`${size.name}: plan failed; measuring it again at --read-concurrency 1`);
      planRetry = await measurePlan(emu.url, file, `latency=${o.latencyMs}ms,rate=${o.rate}`, ["--read-concurrency", "1"]);
      log(`${size.name}: plan --read-concurrency 1: ${planRetry.calls} calls in ${(planRetry.wallMs / 1000).toFixed(1)} s (exit ${planRetry.exitCode})`);
    }
    liveFile = await snapshotLive(emu.url, file);
    const list = baselineCalls(size);
    const rateLimited = list.length / o.rate <= o.baselineMaxSeconds;
    // Beyond the budget the baseline still makes every call (so the count is measured, not computed), but
    // without the rate limit; its wall time at the limit is then the floor calls/rate (a lower bound,
    // which favours the baseline).
    await setFaults(emu.url, rateLimited ? `latency=${o.latencyMs}ms,rate=${o.rate}` : `latency=${o.latencyMs}ms`);
    await clearCalls(emu.url);
    log(`${size.name}: per-resource baseline, ${list.length} calls at parallelism 10 (${rateLimited ? "rate-limited" : "no rate limit: wall = floor"})`);
    const measuredMs = await runBaseline(emu.url, list, 10);
    const attempts = (await callLog(emu.url)).length;
    await setFaults(emu.url, "");
    const min = minimumCalls(size, o.pageSize);
    const scenarios = withScenarios
      ? await measureScenarios(emu.url, size, file, text, { faults: `latency=${o.latencyMs}ms,rate=${o.rate}`, rate: o.rate, pageSize: o.pageSize }, log)
      : undefined;
    served = {
      size, seed: seeded, plan, ...(planRetry ? { planRetry } : {}), ...(scenarios ? { scenarios } : {}),
      minimum: { total: Object.values(min).reduce((a, b) => a + b, 0), byOperation: min },
      baseline: {
        calls: list.length, byOperation: countOps(list), attempts, measuredMs, rateLimited,
        wallMs: rateLimited ? measuredMs : Math.max(measuredMs, (list.length / o.rate) * 1000),
      },
    };
  } finally {
    await emu.stop();
  }
  // The core runs on a saved snapshot, alone: the emulator that served the estate (and held it in
  // memory) is gone, so the CPU time measured is the core's, not the core's on a machine busy with it.
  const core = await measureCore(benchDir, file, liveFile);
  log(`${size.name}: core ${core.cpuMs.toFixed(0)} ms CPU (median of ${(core.cpuRunsMs ?? []).map((ms) => ms.toFixed(0)).join(", ")}), ${core.peakRssMb.toFixed(0)} MB peak RSS`);
  if (!withScenarios) return { ...served, core };
  const coreScaling = [{ copies: 1, resources: core.resources, core }];
  const drift = await measureCore(benchDir, file, liveFile, "drift");
  log(`${size.name}: drift core ${drift.cpuMs.toFixed(0)} ms CPU (${drift.changes} items), ${drift.peakRssMb.toFixed(0)} MB peak RSS`);
  const driftScaling = [{ copies: 1, resources: drift.resources, core: drift }];
  for (const copies of [2, 4]) {
    const f = scaledEstate(size, liveFile, copies);
    const c = await measureCore(benchDir, f.manifest, f.live);
    log(`${size.name} ×${copies}: core ${c.cpuMs.toFixed(0)} ms CPU over ${c.resources} resources (${c.changes} changes), ${c.peakRssMb.toFixed(0)} MB peak RSS`);
    coreScaling.push({ copies, resources: c.resources, core: c });
    if (copies !== 4) continue;
    const d = await measureCore(benchDir, f.manifest, f.live, "drift");
    log(`${size.name} ×${copies}: drift core ${d.cpuMs.toFixed(0)} ms CPU over ${d.resources} resources (${d.changes} items), ${d.peakRssMb.toFixed(0)} MB peak RSS`);
    driftScaling.push({ copies, resources: d.resources, core: d });
  }
  return { ...served, core, coreScaling, driftScaling };
}

async function measureApply20(o: BenchOptions): Promise<ApplyFigures> {
  const emu = await spawnEmulator(["--time-scale", String(o.fleetStartScale), "--page-size", String(o.pageSize), "--quotas", "fleets=40"]);
  try {
    log(`apply: 20 new running fleets, one fleet start = ${5 * o.fleetStartScale} s`);
    return await measureApply(emu.url, writeManifest(newFleetsManifest(20)), 20, 5000 * o.fleetStartScale, `latency=${o.latencyMs}ms,rate=${o.rate}`);
  } finally {
    await emu.stop();
  }
}

async function main(): Promise<number> {
  if (process.argv.includes("--help") || process.argv.includes("-h")) {
    process.stdout.write(USAGE);
    return 0;
  }
  const o = parseArgs(process.argv.slice(2));
  const benchDir = dirname(fileURLToPath(import.meta.url));
  const sizes: SizeResult[] = [];
  const order = (["small", "medium", "large"] as const).filter((n) => o.sizes.includes(n));
  const scenarioSizes = new Set([order[0], order[order.length - 1]]);
  for (const name of o.sizes) sizes.push(await measureSize(o, SIZES[name], benchDir, scenarioSizes.has(name)));
  const apply = await measureApply20(o);
  const result: BenchResult = {
    date: new Date().toISOString(),
    machine: { cpus: cpus().length, cpuModel: cpus()[0]?.model ?? "?", totalMemGb: totalmem() / 2 ** 30, freeMemGb: freemem() / 2 ** 30, node: process.version },
    options: o, sizes, apply,
  };
  mkdirSync(dirname(o.out), { recursive: true });
  writeFileSync(o.out, JSON.stringify(result, null, 2) + "\n");
  const checks = checkTargets(result);
  process.stdout.write(renderReport(result, checks));
  process.stdout.write(`results: ${o.out}\n`);
  const missed = checks.filter((c) => !c.ok);
  return o.check && missed.length > 0 ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`bench failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(1);
  },
);
