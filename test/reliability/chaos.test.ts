/**
 * Chaos: seeded applies of examples/appstream.yaml on a fresh emulator each, with throttling 20%, 5xx 5%,
 * ConcurrentModification 5% and eventual consistency on. Every case must converge within two applies (the
 * plan after them is a no-op), and no call may name the unmanaged fleet and stack created beforehand.
 * Transitions are immediate (time scale 0) and pages small (2), so the paginated reads are exercised too.
 */
import { CreateFleetCommand, CreateStackCommand } from "@aws-sdk/client-appstream";
import { afterAll, beforeAll, describe, it } from "vitest";
import { calls, clientOf, control, fleetInput, startTestEmulator } from "../emulator/helpers.js";
import { fakeAwsCredentials } from "../e2e/helpers.js";
import { callsNaming, cases, cli, EXAMPLE, FULL, record } from "./helpers.js";

/** Eventual consistency is shorter in `npm test` so the small run stays fast; the full run uses 2 s. */
const CONSISTENCY_MS = FULL ? 2000 : 300;
const CONSISTENCY = `${CONSISTENCY_MS}ms`;
const faults = (seed: number) => `seed=${seed},throttle=0.2,5xx=0.05,cme=0.05,consistency=${CONSISTENCY}`;
const SEEDS = cases(4, 30);

let converged = 0;
let lost = 0;
let faultsSeen = 0;
let secondApplies = 0;
beforeAll(fakeAwsCredentials);
afterAll(() =>
  record({
    suite: "chaos", cases: SEEDS.length, faults: `throttle 20%, 5xx 5%, CME 5%, consistency ${CONSISTENCY} (${faultsSeen} faults injected)`,
    converged, lost, note: `${secondApplies} cases needed the second apply`,
  }),
);

// Cases are independent (one emulator each) and mostly wait on backoff, so they run side by side. The
// client's pacer (src/aws/pacer.ts) may read this suite's 20 % random throttling as a rate limit for a
// while, and four cases share a loaded 2-core machine, so a case takes from seconds to half a minute:
// the timeout is generous, and correctness, not speed, is what the cases assert.
const CASE_TIMEOUT_MS = 240_000;

describe.concurrent("chaos: seeded fault runs of the example converge and touch nothing else", { timeout: CASE_TIMEOUT_MS }, () => {
  it.for(SEEDS)("seed %i", async (seed, { expect }) => {
    const t = await startTestEmulator({ pageSize: 2 });
    try {
      const url = t.emu.url;
      // Resources this manifest does not declare: no call may name them.
      await clientOf(url).send(new CreateFleetCommand(fleetInput("unmanaged-fleet")));
      await clientOf(url).send(new CreateStackCommand({ Name: "unmanaged-stack" }));
      await control(url, "DELETE", "calls");
      await control(url, "POST", "faults", { spec: faults(seed) });
      let applies = 0;
      let ok = false;
      while (!ok && applies < 2) {
        applies++;
        const r = await cli(url, ["-f", EXAMPLE, "apply", "--auto-approve", "--allow-disruption"]);
        expect([0, 3], r.stdout + r.stderr).toContain(r.code);
        ok = r.code === 0;
      }
      if (applies === 2) secondApplies++;
      const plan = await cli(url, ["-f", EXAMPLE, "plan", "--detailed-exitcode"]);
      const log = await calls(url);
      faultsSeen += log.filter((c) => c.outcome !== "ok").length;
      const converges = ok && plan.code === 0;
      if (converges) converged++;
      else lost++;
      expect(ok, "converged within two applies").toBe(true);
      let later = "";
      if (plan.code !== 0) {
        // Diagnosis for the failure message: is it only read-after-write (the consistency window)?
        await new Promise((r) => setTimeout(r, CONSISTENCY_MS + 500));
        later = ` — the same plan ${CONSISTENCY_MS + 500} ms later exits ${(await cli(url, ["-f", EXAMPLE, "plan", "--detailed-exitcode"])).code}`;
      }
      expect(plan.code, `plan right after the apply that exited 0${later}: ${plan.stdout}${plan.stderr}`).toBe(0);
      expect(log.some((c) => c.outcome !== "ok"), "faults were injected").toBe(true);
      expect(callsNaming(log, "unmanaged-fleet")).toEqual([]);
      expect(callsNaming(log, "unmanaged-stack")).toEqual([]);
    } finally {
      await t.close();
    }
  });
});
