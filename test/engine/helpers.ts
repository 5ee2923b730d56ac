/** Unit-test helpers for the executor: an instant clock, steps, and SDK-shaped errors. */
import { InvalidParameterCombinationException, ResourceNotFoundException } from "@aws-sdk/client-appstream";
import type { Clock } from "../../src/aws/retry.js";
import type { Step } from "../../src/core/plan-types.js";
import { execute, type ExecuteCtx } from "../../src/engine/execute.js";
import { recordingReporter } from "../../src/engine/progress.js";
import type { AppStreamApi } from "../../src/aws/api.js";

/** A clock whose sleep advances time at once (yielding to other promises first) and records delays. */
export function instantClock(): Clock & { sleeps: number[] } {
  let t = 0;
  const sleeps: number[] = [];
  return {
    sleeps,
    now: () => t,
    sleep: async (ms, signal) => {
      if (signal?.aborted) throw signal.reason;
      sleeps.push(ms);
      t += ms;
      await new Promise((r) => setImmediate(r));
    },
  };
}

/** A step with the usual id shape. */
export function step(address: string, local: string, op: string, params: Record<string, unknown>, dependsOn: string[] = []): Step {
  return { id: `${address}#${local}`, address, op, params, dependsOn };
}

export const notFound = (what = "x") => new ResourceNotFoundException({ message: `The ${what} does not exist.`, $metadata: { httpStatusCode: 404 } });
export const invalid = (what = "bad") => new InvalidParameterCombinationException({ message: what, $metadata: { httpStatusCode: 400 } });

/** Lets other promises run (a fake call "in flight"). */
export const tick = () => new Promise((r) => setTimeout(r, 1));

/** Runs steps with an instant clock and a recording reporter. */
export async function run(api: AppStreamApi, steps: Step[], extra: Partial<ExecuteCtx> = {}) {
  const report = recordingReporter();
  const summary = await execute({ api, region: "us-east-1", clock: instantClock(), random: () => 0.5, report, secret: () => "unused", ...extra }, { steps });
  const status = Object.fromEntries(summary.outcomes.map((o) => [o.id, o.status]));
  return { summary, events: report.events, status };
}
