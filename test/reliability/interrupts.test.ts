/**
 * Interrupts: Ctrl-C (io.onInterrupt, as SIGINT reaches the CLI) at a seeded random point of an apply of
 * examples/appstream.yaml (`--json`, so every event is a line). The run must exit 130, its summary must
 * account for every step that started — done, failed or interrupted, never silently dropped — and the
 * next apply must converge to a plan with no changes.
 */
import { afterAll, beforeAll, describe, it } from "vitest";
import { startTestEmulator } from "../emulator/helpers.js";
import { fakeAwsCredentials } from "../e2e/helpers.js";
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

let lines = 0;
let converged = 0;
let lost = 0;
beforeAll(async () => {
  fakeAwsCredentials();
  // How many event lines an uninterrupted apply writes: the interrupt points are drawn below that.
  const t = await startTestEmulator({ timeScale: TIME_SCALE });
  try {
    const r = await cli(t.emu.url, ["-f", EXAMPLE, "apply", "--auto-approve", "--allow-disruption", "--json"]);
    lines = r.stderr.trim().split("\n").length;
  } finally {
    await t.close();
  }
});
afterAll(() => record({ suite: "interrupts", cases: SEEDS.length, faults: `Ctrl-C after a seeded event line (1..${lines - 2})`, converged, lost }));

describe.concurrent("interrupts: Ctrl-C at seeded points of an apply", () => {
  it.for(SEEDS)("seed %i", async (seed, { expect }) => {
    expect(lines).toBeGreaterThan(10);
    const t = await startTestEmulator({ timeScale: TIME_SCALE });
    try {
      const url = t.emu.url;
      const at = seededInt(seed, 1, lines - 2);
      const r = await cli(url, ["-f", EXAMPLE, "apply", "--auto-approve", "--allow-disruption", "--json"], { interruptAfter: at });
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
