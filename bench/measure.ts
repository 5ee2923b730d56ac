/**
 * The measurements: each runs appstreamctl in this process (as a user's `--endpoint-url` run would) against
 * the separate emulator process, and reads what it did from the emulator's call log.
 */
import { spawn } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { AppStreamClient } from "@aws-sdk/client-appstream";
import { ResourceGroupsTaggingAPIClient } from "@aws-sdk/client-resource-groups-tagging-api";
import { createApi } from "../src/aws/api.js";
import { run } from "../src/cli/main.js";
import { BufferOut } from "../src/cli/io.js";
import { runPlan } from "../src/engine/plan-run.js";
import type { ManifestDoc } from "../src/kinds/contract.js";
import { loadManifest } from "../src/manifest/index.js";
import type { CallRecord } from "../src/emulator/index.js";
import { byOperation, callLog, clearCalls, setFaults } from "./emulator.js";
import { BENCH_PASSWORD } from "./estate.js";
import { writeLiveFile } from "./live-file.js";

const CREDENTIALS_ENV = { AWS_ACCESS_KEY_ID: "AKIDBENCH", AWS_SECRET_ACCESS_KEY: "bench", AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true" };

/** Writes `text` as appstream.yaml in a fresh temporary folder; returns the file. */
export function writeManifest(text: string): string {
  const file = join(mkdtempSync(join(tmpdir(), "asctl-bench-")), "appstream.yaml");
  writeFileSync(file, text);
  return file;
}

/** Runs the CLI in-process against `url`; throws when it exits with a code not in `ok`. */
export async function cli(url: string, args: string[], ok: number[] = [0]): Promise<{ code: number; stdout: string; stderr: string }> {
  Object.assign(process.env, CREDENTIALS_ENV);
  const stdout = new BufferOut();
  const stderr = new BufferOut();
  const code = await run(["--endpoint-url", url, "--color", "never", ...args], {
    stdout, stderr, cwd: process.cwd(), env: { AWS_REGION: "us-east-1", APPSTREAM_AD_PASSWORD: BENCH_PASSWORD, ...CREDENTIALS_ENV },
  });
  if (!ok.includes(code)) throw new Error(`appstreamctl ${args.join(" ")} exited ${code}: ${stderr.text().slice(-2000)}`);
  return { code, stdout: stdout.text(), stderr: stderr.text() };
}

/** Creates the estate with appstreamctl itself (emulator faults off), so live state matches the manifest. */
export async function seed(url: string, file: string): Promise<{ ms: number; calls: number }> {
  await setFaults(url, "");
  const t = performance.now();
  await cli(url, ["-f", file, "apply", "--auto-approve", "--allow-disruption", "--parallelism", "16"]);
  const calls = (await callLog(url)).length;
  await clearCalls(url);
  return { ms: performance.now() - t, calls };
}

/** What one plan run cost. */
export interface PlanFigures {
  wallMs: number;
  /** Every call that reached the API, throttled attempts included. */
  calls: number;
  /** Calls answered (not throttled or failed). */
  okCalls: number;
  throttled: number;
  byOperation: Record<string, number>;
  /** `plan --detailed-exitcode` exit: 0 = the estate matches the manifest, 1 = plan failed. */
  exitCode: number;
  /** The options plan ran with beyond `-f FILE plan --detailed-exitcode`. */
  args: string[];
  /** The last line of stderr when plan failed. */
  error?: string;
}

/** `plan --detailed-exitcode` under `faults` (latency and rate limit); the call log is read afterwards. */
export async function measurePlan(url: string, file: string, faults: string, args: string[] = []): Promise<PlanFigures> {
  await setFaults(url, faults);
  await clearCalls(url);
  const t = performance.now();
  // Exit 1 is a result too (e.g. reads throttled beyond their retries): recorded, not thrown.
  const r = await cli(url, ["-f", file, "plan", "--detailed-exitcode", ...args], [0, 1, 2]);
  const wallMs = performance.now() - t;
  const calls = await callLog(url);
  await setFaults(url, "");
  await clearCalls(url);
  return {
    wallMs, calls: calls.length, okCalls: calls.filter((c) => c.outcome === "ok").length,
    throttled: calls.filter((c) => c.outcome === "ThrottlingException").length, byOperation: byOperation(calls.filter((c) => c.outcome === "ok")),
    exitCode: r.code, args,
    ...(r.code === 1 ? { error: r.stderr.trim().split("\n").slice(-3).join(" ") } : {}),
  };
}

/** Reads the live state of `file` (faults off) and saves it (live-file.ts) for the core-only measurement. */
export async function snapshotLive(url: string, file: string): Promise<string> {
  const loaded = await loadManifest({ cwd: process.cwd(), env: { APPSTREAM_AD_PASSWORD: BENCH_PASSWORD } }, [file]);
  const config = { region: "us-east-1", endpoint: url, credentials: { accessKeyId: "AKIDBENCH", secretAccessKey: "bench" } };
  const client = new AppStreamClient(config);
  // Tags are read through the tagging API as the CLI reads them (the emulator serves it on the same port).
  const tagging = new ResourceGroupsTaggingAPIClient(config);
  const { live } = await runPlan({
    api: createApi(client, undefined, { tagging }), region: "us-east-1", manifest: loaded.manifest as unknown as ManifestDoc, prune: false, concurrency: 8, now: new Date(),
  });
  client.destroy();
  tagging.destroy();
  await clearCalls(url);
  const out = join(mkdtempSync(join(tmpdir(), "asctl-bench-live-")), "live.jsonl");
  writeLiveFile(out, live);
  return out;
}

/** The core-only figures from a child process. */
export interface CoreFigures {
  cpuMs: number;
  wallMs: number;
  peakRssMb: number;
  changes: number;
  resources: number;
  /** Every run's CPU ms, when several were taken (the figures above are then the median run's). */
  cpuRunsMs?: number[];
}

/** Fresh processes per core measurement: CPU time on a shared 2-vCPU VM varies by ±15 % run to run. */
export const CORE_RUNS = 3;

/**
 * Runs the core child {@link CORE_RUNS} times and keeps the run with the median CPU time, with the
 * highest peak RSS of all runs (so memory is never understated).
 */
export async function measureCore(benchDir: string, file: string, liveFile: string, mode: "plan" | "drift" = "plan"): Promise<CoreFigures> {
  const runs: CoreFigures[] = [];
  for (let i = 0; i < CORE_RUNS; i++) runs.push(await coreRun(benchDir, file, liveFile, mode));
  const sorted = [...runs].sort((a, b) => a.cpuMs - b.cpuMs);
  const median = sorted[Math.floor(sorted.length / 2)]!;
  return { ...median, peakRssMb: Math.max(...runs.map((r) => r.peakRssMb)), cpuRunsMs: runs.map((r) => r.cpuMs) };
}

/** One run of dist/bench/core-child.js on the manifest and the live snapshot, planning or comparing for drift. */
function coreRun(benchDir: string, file: string, liveFile: string, mode: "plan" | "drift"): Promise<CoreFigures> {
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, [join(benchDir, "core-child.js"), file, liveFile, mode], { stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    let err = "";
    proc.stdout.on("data", (c: Buffer) => (out += c.toString()));
    proc.stderr.on("data", (c: Buffer) => (err += c.toString()));
    proc.on("exit", (code) => (code === 0 ? resolve(JSON.parse(out) as CoreFigures) : reject(new Error(`core-child exited ${String(code)}: ${err}`))));
  });
}

/** Polls that arrive within this gap of each other belong to one tick of the shared fleet poller. */
const TICK_GAP_MS = 500;

/** What applying N new running fleets cost. */
export interface ApplyFigures {
  wallMs: number;
  fleetStartMs: number;
  fleets: number;
  describeFleetsCalls: number;
  ticks: number;
  maxDescribeFleetsPerTick: number;
  mutatingCalls: number;
  throttled: number;
  /** Where the time went, in ms after the first call: the last answered mutating call, and each poll. */
  timeline: { lastMutationMs: number; pollsMs: number[] };
}

/** Groups the DescribeFleets calls of `calls` into ticks by arrival time. */
export function ticksOf(calls: readonly CallRecord[]): number[] {
  const times = calls.filter((c) => c.operation === "DescribeFleets").map((c) => Date.parse(c.time)).sort((a, b) => a - b);
  const ticks: number[] = [];
  let last = -Infinity;
  for (const t of times) {
    if (t - last > TICK_GAP_MS) ticks.push(0);
    ticks[ticks.length - 1]! += 1;
    last = t;
  }
  return ticks;
}

/** `apply` of a manifest of new running fleets on an empty emulator with `faults` on. */
export async function measureApply(url: string, file: string, fleets: number, fleetStartMs: number, faults: string): Promise<ApplyFigures> {
  await setFaults(url, faults);
  await clearCalls(url);
  const t = performance.now();
  await cli(url, ["-f", file, "apply", "--auto-approve", "--allow-disruption"]);
  const wallMs = performance.now() - t;
  const calls = await callLog(url);
  const ticks = ticksOf(calls.filter((c) => c.outcome === "ok"));
  const t0 = calls.length > 0 ? Date.parse(calls[0]!.time) : 0;
  const rel = (c: CallRecord) => Date.parse(c.time) - t0;
  return {
    timeline: {
      lastMutationMs: Math.max(0, ...calls.filter((c) => c.mutating && c.outcome === "ok").map(rel)),
      pollsMs: calls.filter((c) => c.operation === "DescribeFleets" && c.outcome === "ok").map(rel),
    },
    wallMs, fleetStartMs, fleets,
    describeFleetsCalls: calls.filter((c) => c.operation === "DescribeFleets").length,
    ticks: ticks.length, maxDescribeFleetsPerTick: Math.max(0, ...ticks),
    mutatingCalls: calls.filter((c) => c.mutating).length,
    throttled: calls.filter((c) => c.outcome === "ThrottlingException").length,
  };
}
