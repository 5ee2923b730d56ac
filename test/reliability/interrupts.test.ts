/**
 * Interrupts: Ctrl-C (io.onInterrupt, as SIGINT reaches the CLI) at a seeded random point of an apply of
 * examples/appstream.yaml (`--json`, so every event is a line). The run must exit 130, its summary must
 * account for every step that started — done, failed or interrupted, never silently dropped — and the
 * next apply must converge to a plan with no changes. And Ctrl-C at a seeded point of a disruptive update
 * of three running fleets (stop → update → start each): when the interrupted run returns, no fleet is
 * left STOPPED or STOPPING — the restarts still run after the first Ctrl-C.
 */
import { afterAll, beforeAll, describe, it } from "vitest";
import { startTestEmulator } from "../emulator/helpers.js";
import { table } from "../e2e/apply-helpers.js";
import { fakeAwsCredentials, writeManifest } from "../e2e/helpers.js";
import { cases, cli, EXAMPLE, record, seededInt } from "./helpers.js";

interface Event {
  type: string;
  id?: string;
  interrupted?: boolean;
  outcomes?: { id: string; status: string }[];
}

const events = (stderr: string): Event[] => stderr.trim().split("\n").map((l) => JSON.parse(l) as Event);
/** Transitions take 1% of their real length (fleet start 50 ms): there is waiting to interrupt. */
const TIME_SCALE = 0.01;
const SEEDS = cases(4, 30);

/**
 * Interrupt points count step starts only: every step of an uninterrupted apply starts exactly once, while
 * how many wait lines a run writes depends on timing, so a point drawn among all lines could fall after
 * the run has ended.
 */
const isStepStart = (line: string): boolean => line.includes('"type":"step-start"');
let lines = 0;
let converged = 0;
let lost = 0;
beforeAll(async () => {
  fakeAwsCredentials();
  // How many event lines an uninterrupted apply writes: the interrupt points are drawn below that.
  const t = await startTestEmulator({ timeScale: TIME_SCALE });
  try {
    const r = await cli(t.emu.url, ["-f", EXAMPLE, "apply", "--auto-approve", "--allow-disruption", "--json"]);
    lines = r.stderr.trim().split("\n").filter(isStepStart).length;
  } finally {
    await t.close();
  }
});
afterAll(() => record({ suite: "interrupts", cases: SEEDS.length, faults: `Ctrl-C after a seeded step start (1..${lines - 2})`, converged, lost }));

describe.concurrent("interrupts: Ctrl-C at seeded points of an apply", () => {
  it.for(SEEDS)("seed %i", async (seed, { expect }) => {
    expect(lines).toBeGreaterThan(10);
    const t = await startTestEmulator({ timeScale: TIME_SCALE });
    try {
      const url = t.emu.url;
      const at = seededInt(seed, 1, lines - 2);
      const r = await cli(url, ["-f", EXAMPLE, "apply", "--auto-approve", "--allow-disruption", "--json"], { interruptAfter: at, counts: isStepStart });
      expect(r.code, `interrupt after line ${at}: ${r.stdout}`).toBe(130);
      const ev = events(r.stderr);
      expect(ev.some((e) => e.type === "interrupt")).toBe(true);
      const summary = ev.find((e) => e.type === "summary");
      expect(summary?.interrupted).toBe(true);
      const status = new Map((summary?.outcomes ?? []).map((o) => [o.id, o.status]));
      const started = ev.filter((e) => e.type === "step-start").map((e) => e.id!);
      for (const id of started) expect(["done", "failed", "interrupted"], `${id} started`).toContain(status.get(id));
      expect(r.stdout).toMatch(/^Apply interrupted: /m);
      const again = await cli(url, ["-f", EXAMPLE, "apply", "--auto-approve", "--allow-disruption"]);
      const plan = await cli(url, ["-f", EXAMPLE, "plan", "--detailed-exitcode"]);
      if (again.code === 0 && plan.code === 0) converged++;
      else lost++;
      expect(again.code, again.stdout).toBe(0);
      expect(plan.code, plan.stdout).toBe(0);
    } finally {
      await t.close();
    }
  });
});

const FLEETS = ["r1", "r2", "r3"];
const fleets = (instanceType: string) => writeManifest(`apiVersion: appstreamctl/v1
metadata: { name: restarts }
fleets:
${FLEETS.map((n) => `  - { name: ${n}, instanceType: ${instanceType}, imageName: AppStream-WinServer2022-11-12-2025, computeCapacity: { desiredInstances: 1 } }`).join("\n")}
`);
const RESTART_SEEDS = cases(3, 20);
let restartLines = 0;
let restarted = 0;
let leftDown = 0;

describe("interrupts: Ctrl-C at seeded points of a disruptive fleet update", () => {
  beforeAll(async () => {
    const t = await startTestEmulator({ timeScale: TIME_SCALE });
    try {
      await cli(t.emu.url, ["-f", fleets("stream.standard.medium"), "apply", "--auto-approve"]);
      const r = await cli(t.emu.url, ["-f", fleets("stream.standard.large"), "apply", "--auto-approve", "--allow-disruption", "--json"]);
      restartLines = r.stderr.trim().split("\n").length;
    } finally {
      await t.close();
    }
  });
  afterAll(() =>
    record({
      suite: "interrupts-restart", cases: RESTART_SEEDS.length, faults: `Ctrl-C after a seeded event line of stop → update → start (1..${restartLines - 2})`,
      converged: restarted, lost: leftDown, note: "converged = no fleet STOPPED/STOPPING when the interrupted run returned, and a re-run converged",
    }),
  );

  it.for(RESTART_SEEDS)("seed %i: every fleet is running or starting when the interrupted apply returns", async (seed, { expect }) => {
    expect(restartLines).toBeGreaterThan(10);
    const t = await startTestEmulator({ timeScale: TIME_SCALE });
    try {
      const url = t.emu.url;
      await cli(url, ["-f", fleets("stream.standard.medium"), "apply", "--auto-approve"]);
      const larger = fleets("stream.standard.large");
      const at = seededInt(seed, 1, restartLines - 2);
      const r = await cli(url, ["-f", larger, "apply", "--auto-approve", "--allow-disruption", "--json"], { interruptAfter: at });
      expect(r.code, `interrupt after line ${at}`).toBe(130);
      const states = Object.fromEntries(Object.entries(await table(url, "us-east-1", "fleets")).map(([n, f]) => [n, f.state]));
      const down = FLEETS.filter((n) => states[n] !== "RUNNING" && states[n] !== "STARTING");
      const again = await cli(url, ["-f", larger, "apply", "--auto-approve", "--allow-disruption"]);
      const plan = await cli(url, ["-f", larger, "plan", "--detailed-exitcode"]);
      if (down.length === 0 && again.code === 0 && plan.code === 0) restarted++;
      else leftDown++;
      expect(down, `interrupt after line ${at}: ${JSON.stringify(states)}`).toEqual([]);
      expect(again.code, again.stdout).toBe(0);
      expect(plan.code, plan.stdout).toBe(0);
    } finally {
      await t.close();
    }
  });
});
