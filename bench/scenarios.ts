/**
 * The scenarios measured on a seeded estate beside the no-op plan (docs/BENCHMARKS.md "Scenarios"):
 * a `--target` plan of one fleet, users and memberships added by one apply, and `apply PLANFILE` of a
 * one-resource change, and the plan of the estate with scaling on every fleet (scaling-scenario.ts). Each runs the CLI in this process against the estate's emulator and reads what it
 * did from the emulator's call log; they run in that order, each on the estate the one before left.
 */
import { join, dirname } from "node:path";
import { writeFileSync } from "node:fs";
import type { CallRecord } from "../src/emulator/index.js";
import { minimumCalls } from "./calls.js";
import { byOperation, callLog, clearCalls, setFaults } from "./emulator.js";
import { fleetName, NEW_USERS, stacksOfUser, type EstateSize } from "./estate.js";
import { cli, measurePlan, type PlanFigures } from "./measure.js";
import { UNBOUNDED_PAGE } from "../src/kinds/page-sizes.js";
import { measureScalingReads, type ScalingReads } from "./scaling-scenario.js";

/** The fleet `--target` names. */
export const TARGET = `Fleet/${fleetName(0)}`;

/** Names of the users the users-added apply adds (outside the estate's own `user…` names). */
export const addedUserName = (i: number) => `added${String(i).padStart(5, "0")}@example.com`;

/** The estate's manifest with `n` more users, each in the stacks the estate's user `i` is in (`users:` is its last section). */
export function withAddedUsers(text: string, s: EstateSize, n: number): string {
  const lines = Array.from({ length: n }, (_, i) => `  - { userName: ${addedUserName(i)}, firstName: A${i}, lastName: Bench, messageAction: SUPPRESS, stacks: [${stacksOfUser(s, i).join(", ")}] }`);
  return text + lines.join("\n") + "\n";
}

/** The manifest with one change: a tag on the first fleet. */
export function withOneChange(text: string): string {
  const from = `  - { name: ${fleetName(0)}, `;
  if (!text.includes(from)) throw new Error(`the estate manifest has no line starting ${JSON.stringify(from)}`);
  return text.replace(from, `${from}tags: { owner: bench-one-change }, `);
}

/** What an apply cost: reads and mutating calls (answered), throttled attempts, and wall time. */
export interface ApplyCost {
  wallMs: number;
  exitCode: number;
  calls: number;
  okCalls: number;
  reads: number;
  mutating: number;
  throttled: number;
  byOperation: Record<string, number>;
}

function costOf(log: readonly CallRecord[], wallMs: number, exitCode: number): ApplyCost {
  const ok = log.filter((c) => c.outcome === "ok");
  return {
    wallMs, exitCode, calls: log.length, okCalls: ok.length,
    reads: ok.filter((c) => !c.mutating).length, mutating: ok.filter((c) => c.mutating).length,
    throttled: log.filter((c) => c.outcome === "ThrottlingException").length, byOperation: byOperation(ok),
  };
}

/** The users-added apply: its cost, and the floor it is held to. */
export interface UsersAdded extends ApplyCost {
  users: number;
  memberships: number;
  /** Calls no client can do without: the estate's minimum plan, one CreateUser per user, full batches of 25. */
  floorCalls: number;
  floorMs: number;
  /** DescribeUsers pages beyond the plan's one scan of the pool (the waits for the new users to be listed). */
  waitPages: number;
}

/** Everything the scenarios measured on one size. */
export interface ScenarioFigures {
  target: PlanFigures;
  usersAdded: UsersAdded;
  planFile: ApplyCost & { planExitCode: number };
  scaling: ScalingReads;
}

async function timedApply(url: string, args: string[], faults: string): Promise<ApplyCost> {
  await setFaults(url, faults);
  await clearCalls(url);
  const t = performance.now();
  const r = await cli(url, args, [0, 1, 3, 4, 5]);
  const wallMs = performance.now() - t;
  const log = await callLog(url);
  await setFaults(url, "");
  await clearCalls(url);
  if (r.code !== 0) process.stderr.write(`[bench] appstreamctl ${args.join(" ")} exited ${r.code}: ${r.stderr.trim().split("\n").slice(-3).join(" ")}\n`);
  return costOf(log, wallMs, r.code);
}

/** Runs the three scenarios on the seeded estate of `file` (size `s`) under `faults`. */
export async function measureScenarios(
  url: string, s: EstateSize, file: string, text: string, o: { faults: string; rate: number; pageSize: number }, log: (l: string) => void,
): Promise<ScenarioFigures> {
  const { faults, rate } = o;
  const target = await measurePlan(url, file, faults, ["--target", TARGET]);
  log(`${s.name}: plan --target ${TARGET}: ${target.calls} calls in ${(target.wallMs / 1000).toFixed(1)} s (exit ${target.exitCode})`);

  const n = NEW_USERS[s.name];
  const added = withAddedUsers(text, s, n);
  const addedFile = join(dirname(file), "users-added.yaml");
  writeFileSync(addedFile, added);
  const cost = await timedApply(url, ["-f", addedFile, "apply", "--auto-approve"], faults);
  const memberships = n * s.stacksPerUser;
  const min = Object.values(minimumCalls(s, o.pageSize)).reduce((a, b) => a + b, 0);
  const floorCalls = min + n + Math.ceil(memberships / 25);
  const planScan = Math.ceil(s.users / UNBOUNDED_PAGE);
  const usersAdded: UsersAdded = {
    ...cost, users: n, memberships, floorCalls, floorMs: (floorCalls / rate) * 1000,
    waitPages: Math.max(0, (cost.byOperation.DescribeUsers ?? 0) - planScan),
  };
  log(`${s.name}: ${n} users + ${memberships} memberships added in ${(cost.wallMs / 1000).toFixed(1)} s (exit ${cost.exitCode}), ${cost.okCalls} answered calls, floor ${(usersAdded.floorMs / 1000).toFixed(1)} s`);

  const changed = join(dirname(file), "one-change.yaml");
  writeFileSync(changed, withOneChange(added));
  const planOut = join(dirname(file), "one-change.plan.json");
  // The plan is made without faults: what is measured is the apply of the saved plan.
  await setFaults(url, "");
  const made = await cli(url, ["-f", changed, "plan", "--detailed-exitcode", "--out", planOut], [0, 1, 2]);
  await clearCalls(url);
  const applied = await timedApply(url, ["-f", changed, "apply", "--auto-approve", planOut], faults);
  log(`${s.name}: apply PLANFILE of one change: ${applied.reads} reads, ${applied.mutating} mutating calls in ${(applied.wallMs / 1000).toFixed(1)} s (exit ${applied.exitCode})`);

  const scaling = await measureScalingReads(url, s, file, text, faults);
  log(`${s.name}: plan with scaling on ${s.fleets} fleets: ${scaling.calls} Application Auto Scaling calls (pages ${scaling.minimum}), ${scaling.plan.calls} in all`);
  return { target, usersAdded, planFile: { ...applied, planExitCode: made.code }, scaling };
}
