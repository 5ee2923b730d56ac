/**
 * The scaling reads scenario (issue 17, "Reads stay cheap"): every fleet of the estate gets a `scaling`
 * (one target-tracking policy, one scheduled action), one apply registers them, then a no-op plan is
 * measured: its Application Auto Scaling calls must be the pages of the three namespace-wide listings
 * at their model maxima (targets and scheduled actions 50, policies 10), whatever the number of fleets.
 */
import { dirname, join } from "node:path";
import { writeFileSync } from "node:fs";
import { SCALING_PAGES } from "../src/kinds/page-sizes.js";
import { clearCalls, setFaults } from "./emulator.js";
import { fleetName, type EstateSize } from "./estate.js";
import { cli, measurePlan, type PlanFigures } from "./measure.js";

const SCALING =
  "scaling: { min: 0, max: 4, policies: [{ name: utilization, targetTracking: { metric: CapacityUtilization, target: 75, scaleInCooldown: 900, scaleOutCooldown: 120 } }], " +
  'scheduled: [{ name: weekday-open, schedule: "cron(0 7 ? * MON-FRI *)", timezone: Europe/Berlin, min: 1, max: 4 }] }, ';

/** The manifest with a `scaling` on each of the estate's fleets. */
export function withScaling(text: string, s: EstateSize): string {
  let out = text;
  for (let i = 0; i < s.fleets; i++) {
    const from = `  - { name: ${fleetName(i)}, `;
    if (!out.includes(from)) throw new Error(`the estate manifest has no line starting ${JSON.stringify(from)}`);
    out = out.replace(from, `${from}${SCALING}`);
  }
  return out;
}

export interface ScalingReads {
  plan: PlanFigures;
  /** The plan's Application Auto Scaling calls (answered). */
  calls: number;
  /** The listings' pages: ⌈targets/50⌉ + ⌈policies/10⌉ + ⌈actions/50⌉. */
  minimum: number;
  applyExitCode: number;
}

/** Applies scaling to every fleet of the estate (unmeasured), then measures the no-op plan. */
export async function measureScalingReads(url: string, s: EstateSize, file: string, text: string, faults: string): Promise<ScalingReads> {
  const scaled = join(dirname(file), "scaling.yaml");
  writeFileSync(scaled, withScaling(text, s));
  await setFaults(url, "");
  const applied = await cli(url, ["-f", scaled, "apply", "--auto-approve"], [0, 1, 3]);
  await clearCalls(url);
  const plan = await measurePlan(url, scaled, faults);
  const calls = Object.entries(plan.byOperation).filter(([op]) => op.startsWith("application-autoscaling:")).reduce((n, [, k]) => n + k, 0);
  const pages = (n: number, size: number) => Math.max(1, Math.ceil(n / size));
  const minimum = pages(s.fleets, SCALING_PAGES.targets) + pages(s.fleets, SCALING_PAGES.policies) + pages(s.fleets, SCALING_PAGES.actions);
  return { plan, calls, minimum, applyExitCode: applied.code };
}
