/** The benchmark's targets (issue #8) and the table printed beside them (also pasted into docs/BENCHMARKS.md). */
import type { BenchResult, SizeResult } from "./run.js";

/** One target, measured or not. */
export interface Check {
  target: string;
  size: string;
  value: string;
  ok: boolean;
}

const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const x = (r: number) => `${r.toFixed(2)}×`;

/** Plan wall time over its floor: answered calls / rate (a throttled attempt spends no token). */
export function floorMs(r: SizeResult, rate: number): number {
  return (r.plan.okCalls / rate) * 1000;
}

/** Evaluates every target the run measured; large-only targets only where the large size ran. */
export function checkTargets(res: BenchResult): Check[] {
  const out: Check[] = [];
  const rate = res.options.rate;
  for (const r of res.sizes) {
    // A failed default plan is itself a miss (no-op row); its counts are partial, so the call and wall
    // targets are judged on the --read-concurrency 1 plan when there is one.
    const p = r.plan.exitCode === 1 && r.planRetry ? r.planRetry : r.plan;
    const n = p === r.plan ? r.size.name : `${r.size.name} (rc 1)`;
    const floor = (p.okCalls / rate) * 1000;
    // Answered calls against the minimum: a throttled attempt repeats a call the minimum already counts,
    // and what throttling costs shows in the wall time against the rate floor.
    out.push({ target: "answered plan calls ≤ 1.05 × minimum", size: n, value: `${p.okCalls} / ${r.minimum.total} = ${x(p.okCalls / r.minimum.total)}`, ok: p.okCalls <= 1.05 * r.minimum.total });
    out.push({ target: "plan wall ≤ 1.2 × rate floor", size: n, value: `${s(p.wallMs)} / ${s(floor)} = ${x(p.wallMs / floor)}`, ok: p.wallMs <= 1.2 * floor });
    out.push({ target: "plan is a no-op on the seeded estate", size: r.size.name, value: `exit ${r.plan.exitCode}`, ok: r.plan.exitCode === 0 });
    if (r.size.name !== "large") continue;
    out.push({ target: "plan calls, throttled attempts included, ≤ 1,250", size: n, value: `${p.calls}`, ok: p.calls <= 1250 });
    out.push({ target: "≥ 30× fewer calls than per-resource refresh", size: n, value: `${r.baseline.calls} / ${p.calls} = ${x(r.baseline.calls / p.calls)}`, ok: r.baseline.calls >= 30 * p.calls });
    out.push({ target: "core CPU ≤ 1 s", size: r.size.name, value: `${r.core.cpuMs.toFixed(0)} ms${r.core.cpuRunsMs ? ` (median of ${r.core.cpuRunsMs.map((ms) => ms.toFixed(0)).join(", ")})` : ""}`, ok: r.core.cpuMs <= 1000 });
    out.push({ target: "core peak RSS ≤ 300 MB", size: r.size.name, value: `${r.core.peakRssMb.toFixed(0)} MB`, ok: r.core.peakRssMb <= 300 });
  }
  for (const r of res.sizes) out.push(...scenarioChecks(r));
  const a = res.apply;
  out.push({ target: "20-fleet apply ≤ 1.3 × one fleet start", size: "-", value: `${s(a.wallMs)} / ${s(a.fleetStartMs)} = ${x(a.wallMs / a.fleetStartMs)}`, ok: a.wallMs <= 1.3 * a.fleetStartMs });
  return out;
}

/** Per-resource CPU growth over 1×: 1.00 is exactly linear. */
const growth = (c: { resources: number; core: { cpuMs: number } }, base: { resources: number; core: { cpuMs: number } }) =>
  c.core.cpuMs / c.resources / (base.core.cpuMs / base.resources);

/** The targets of the scenarios and the scaled core, where they ran. */
function scenarioChecks(r: SizeResult): Check[] {
  const out: Check[] = [];
  const n = r.size.name;
  const sc = r.scenarios;
  if (sc) {
    const t = sc.target;
    out.push({ target: "plan --target Fleet/x: calls ≤ 10", size: n, value: `${t.calls} (exit ${t.exitCode})`, ok: t.calls <= 10 && t.exitCode === 0 });
    const u = sc.usersAdded;
    out.push({
      target: `${u.users} users + ${u.memberships} memberships added: wall ≤ 1.15 × floor`, size: n,
      value: `${s(u.wallMs)} / ${s(u.floorMs)} = ${x(u.wallMs / u.floorMs)}${u.exitCode ? ` (exit ${u.exitCode})` : ""}`,
      ok: u.exitCode === 0 && u.wallMs <= 1.15 * u.floorMs,
    });
    const p = sc.planFile;
    out.push({
      target: "apply PLANFILE of one change: reads ≤ 10", size: n,
      value: `${p.reads} reads, ${p.mutating} mutating (plan exit ${p.planExitCode}, apply exit ${p.exitCode})`,
      ok: p.reads <= 10 && p.exitCode === 0 && p.planExitCode === 2 && p.mutating > 0,
    });
    const g = sc.scaling;
    out.push({
      target: `scaling of ${r.size.fleets} fleets: plan's Application Auto Scaling calls = pages of the listings`, size: n,
      value: `${g.calls} / ${g.minimum} (apply exit ${g.applyExitCode}, plan exit ${g.plan.exitCode})`,
      ok: g.applyExitCode === 0 && g.plan.exitCode === 0 && g.calls === g.minimum,
    });
  }
  const scaling = r.coreScaling;
  const base = scaling?.[0];
  const top = scaling?.[scaling.length - 1];
  if (scaling && base && top && top !== base) {
    out.push({
      target: `core peak RSS at ${top.copies}× ≤ 300 MB`, size: n,
      value: `${top.core.peakRssMb.toFixed(0)} MB over ${top.resources} resources (${top.core.changes} changes)`,
      ok: top.core.peakRssMb <= 300 && top.core.changes === 0,
    });
    out.push({
      target: "core CPU linear: per resource at 4× ≤ 1.25 × at 1×", size: n,
      value: scaling.map((c) => `${c.copies}× ${c.core.cpuMs.toFixed(0)} ms (${x(growth(c, base))})`).join(", "),
      ok: growth(top, base) <= 1.25,
    });
  }
  const drift = r.driftScaling;
  const d1 = drift?.[0];
  const d4 = drift?.[drift.length - 1];
  if (drift && d1 && d4 && d4 !== d1) {
    // Drift compares each declared resource's memberships: a lookup over every live resource per entry
    // is what this catches (13 s for the large estate's 10,000 users before it was indexed by owner).
    out.push({
      target: "drift core CPU linear: per resource at 4× ≤ 1.25 × at 1×", size: n,
      value: drift.map((c) => `${c.copies}× ${c.core.cpuMs.toFixed(0)} ms (${x(growth(c, d1))})`).join(", "),
      ok: growth(d4, d1) <= 1.25 && d4.core.changes === 0,
    });
  }
  return out;
}

/** The scenarios and the scaled core, one line each per size. */
function renderScenarios(res: BenchResult): string[] {
  const lines: string[] = [];
  for (const r of res.sizes) {
    const sc = r.scenarios;
    if (sc) {
      const t = sc.target;
      const u = sc.usersAdded;
      const p = sc.planFile;
      const ops = (b: Record<string, number>) => Object.entries(b).map(([op, k]) => `${op} ${k}`).join(", ");
      lines.push(
        "",
        `${r.size.name}: plan --target Fleet/x: ${t.calls} calls (${t.throttled} throttled) in ${s(t.wallMs)}, exit ${t.exitCode}: ${ops(t.byOperation)}`,
        `${r.size.name}: ${u.users} users + ${u.memberships} memberships added: ${s(u.wallMs)} vs floor ${s(u.floorMs)} (${u.floorCalls} calls: the minimum plan, ${u.users} CreateUser, ${Math.ceil(u.memberships / 25)} full batches) = ${x(u.wallMs / u.floorMs)}; ` +
          `${u.okCalls} answered (${u.reads} reads, ${u.mutating} mutating), ${u.throttled} throttled; DescribeUsers pages beyond the plan's scan: ${u.waitPages}`,
        `${r.size.name}: apply PLANFILE of one change: ${p.reads} reads, ${p.mutating} mutating, ${p.throttled} throttled in ${s(p.wallMs)}: ${ops(p.byOperation)}`,
        `${r.size.name}: plan with scaling on every fleet: ${ops(Object.fromEntries(Object.entries(sc.scaling.plan.byOperation).filter(([op]) => op.startsWith("application-autoscaling:"))))} (pages ${sc.scaling.minimum}); ${sc.scaling.plan.calls} calls in all`,
      );
    }
    const scaling = r.coreScaling;
    if (scaling?.[0]) {
      lines.push(`${r.size.name}: core at ${scaling.map((c) => `${c.copies}× (${c.resources} resources) ${c.core.cpuMs.toFixed(0)} ms CPU, ${c.core.peakRssMb.toFixed(0)} MB`).join("; ")}; per resource vs 1×: ${scaling.map((c) => x(growth(c, scaling[0]!))).join(", ")}`);
    }
    const drift = r.driftScaling;
    if (drift?.[0]) {
      lines.push(`${r.size.name}: drift core at ${drift.map((c) => `${c.copies}× (${c.resources} live resources) ${c.core.cpuMs.toFixed(0)} ms CPU, ${c.core.peakRssMb.toFixed(0)} MB, ${c.core.changes} items`).join("; ")}; per resource vs 1×: ${drift.map((c) => x(growth(c, drift[0]!))).join(", ")}`);
    }
  }
  return lines;
}

/** The figures side by side, then the targets. */
export function renderReport(res: BenchResult, checks: readonly Check[]): string {
  const o = res.options;
  const lines = [
    "",
    `appstreamctl scale benchmark — ${res.date}; ${res.machine.cpus} × ${res.machine.cpuModel}, ${res.machine.totalMemGb.toFixed(0)} GiB, node ${res.machine.node}`,
    `emulator: separate process, latency ${o.latencyMs} ms per call, token bucket ${o.rate} req/s, server page size ${o.pageSize}`,
    "",
    "| size | resources (F/S/IB/I/U/memberships) | plan calls (throttled) | minimum | plan wall | rate floor | wall/floor | per-resource calls | per-resource wall | calls ratio | wall ratio | core CPU | core peak RSS |",
    "|---|---|---|---|---|---|---|---|---|---|---|---|---|",
  ];
  for (const r of res.sizes) {
    const z = r.size;
    const b = r.baseline;
    lines.push(`| ${z.name} | ${z.fleets}/${z.stacks}/${z.imageBuilders}/${z.images}/${z.users}/${z.users * z.stacksPerUser} | ${r.plan.calls} (${r.plan.throttled}) | ${r.minimum.total} | ${s(r.plan.wallMs)} | ${s(floorMs(r, o.rate))} | ${x(r.plan.wallMs / floorMs(r, o.rate))} | ${b.calls} | ${s(b.wallMs)}${b.rateLimited ? "" : " (floor†)"} | ${x(b.calls / r.plan.calls)} | ${x(b.wallMs / r.plan.wallMs)} | ${r.core.cpuMs.toFixed(0)} ms | ${r.core.peakRssMb.toFixed(0)} MB |`);
  }
  for (const r of res.sizes) {
    if (r.plan.exitCode !== 1) continue;
    const p = r.planRetry;
    lines.push("", `${r.size.name}: plan FAILED after ${r.plan.calls} calls (${r.plan.throttled} throttled) in ${s(r.plan.wallMs)}: ${r.plan.error ?? ""}`);
    if (p) lines.push(`${r.size.name}: plan --read-concurrency 1: exit ${p.exitCode}, ${p.calls} calls (${p.throttled} throttled, ${p.okCalls} answered) in ${s(p.wallMs)}; floor ${s((p.okCalls / o.rate) * 1000)} (${x(p.wallMs / ((p.okCalls / o.rate) * 1000))})`);
  }
  if (res.sizes.some((r) => !r.baseline.rateLimited)) {
    lines.push("", "† baseline run in full without the rate limit (every call made and counted); its wall time at the limit is the floor calls/rate, a lower bound that favours the baseline.");
  }
  lines.push("", "plan calls per operation (answered) vs the minimum:");
  for (const r of res.sizes) {
    const ops = [...new Set([...Object.keys(r.plan.byOperation), ...Object.keys(r.minimum.byOperation)])].sort();
    lines.push(`  ${r.size.name}: ${ops.map((op) => `${op} ${r.plan.byOperation[op] ?? 0}/${r.minimum.byOperation[op] ?? 0}`).join(", ")}`);
    if (r.planRetry) lines.push(`  ${r.size.name} (--read-concurrency 1): ${ops.map((op) => `${op} ${r.planRetry!.byOperation[op] ?? 0}/${r.minimum.byOperation[op] ?? 0}`).join(", ")}`);
  }
  lines.push(...renderScenarios(res));
  const a = res.apply;
  lines.push(
    "",
    `apply of ${a.fleets} new running fleets: ${s(a.wallMs)} vs one fleet start ${s(a.fleetStartMs)} (${x(a.wallMs / a.fleetStartMs)}); ` +
      `DescribeFleets ${a.describeFleetsCalls} calls in ${a.ticks} ticks (max ${a.maxDescribeFleetsPerTick} per tick); ${a.mutatingCalls} mutating calls, ${a.throttled} throttled`,
    `  last mutating call answered at ${s(a.timeline.lastMutationMs)}; DescribeFleets polls at ${a.timeline.pollsMs.map((t) => (t / 1000).toFixed(1)).join(", ")} s`,
    "",
    "| target | size | measured | result |",
    "|---|---|---|---|",
    ...checks.map((c) => `| ${c.target} | ${c.size} | ${c.value} | ${c.ok ? "met" : "MISSED"} |`),
    "",
  );
  return lines.join("\n");
}
