/**
 * examples/schedules.yaml — a fleet and an image builder with business hours, the fleet's capacity scaled
 * between bounds its scheduled actions move — converges, and stays converged across a simulated evening:
 * after the schedules have stopped both at 18:00 and 19:00 Berlin time and the closing action has lowered
 * the bounds (the emulator's clock moved), the plan still has no changes, and the next morning too.
 */
import { join } from "node:path";
import { beforeAll, expect, it } from "vitest";
import { nextFire, parseScheduleExpression } from "../../src/shared/schedule-expr.js";
import { control, useEmulator } from "../emulator/helpers.js";
import { apply, changesOf, mutations, planOf, table } from "./apply-helpers.js";
import { fakeAwsCredentials } from "./helpers.js";

const EXAMPLE = join(import.meta.dirname, "../../examples/schedules.yaml");
const REGION = "eu-central-1";
const emulator = useEmulator({}, { scope: "all" });
const url = () => emulator().emu.url;

beforeAll(fakeAwsCredentials);

/** Moves the emulator clock to the next `cron` instant in Europe/Berlin, plus `extraSeconds`. */
async function advanceTo(expr: string, extraSeconds = 0): Promise<void> {
  const parsed = parseScheduleExpression(expr);
  if ("error" in parsed) throw new Error(parsed.error);
  const now = (await control(url(), "GET", "state")).body.now as number;
  const at = nextFire(parsed, "Europe/Berlin", now)! + extraSeconds * 1000;
  await control(url(), "POST", "clock", { advanceSeconds: Math.ceil((at - now) / 1000) });
}

async function runStates(): Promise<[string | undefined, string | undefined]> {
  return [(await table(url(), REGION, "fleets"))["branch-apps"]?.state, (await table(url(), REGION, "imageBuilders"))["branch-packaging"]?.state];
}

it("applied on a Wednesday at 09:00: both run, and the plan after the apply has no changes", async () => {
  await advanceTo("cron(0 9 ? * WED *)");
  const r = await apply(url(), EXAMPLE);
  expect(r.code, r.stdout + r.stderr).toBe(0);
  expect(await runStates()).toEqual(["RUNNING", "RUNNING"]);
  expect(changesOf(await planOf(url(), EXAMPLE))).toEqual({});
});

it("after 18:00 the builder is stopped by its schedule, after 19:00 the fleet: no changes at either boundary", async () => {
  await advanceTo("cron(0 18 ? * WED *)", 30);
  expect(await runStates()).toEqual(["RUNNING", "STOPPED"]);
  expect(changesOf(await planOf(url(), EXAMPLE))).toEqual({});
  await advanceTo("cron(0 19 ? * WED *)", 30);
  expect(await runStates()).toEqual(["STOPPED", "STOPPED"]);
  expect(changesOf(await planOf(url(), EXAMPLE))).toEqual({});
  await control(url(), "DELETE", "calls");
  const r = await apply(url(), EXAMPLE);
  expect(r.code, r.stdout + r.stderr).toBe(0);
  expect(await mutations(url())).toEqual([]);
});

it("the next morning the schedules have started both again, and the plan has no changes", async () => {
  await advanceTo("cron(0 8 ? * THU *)", 30);
  expect(await runStates()).toEqual(["RUNNING", "RUNNING"]);
  expect(changesOf(await planOf(url(), EXAMPLE))).toEqual({});
});
