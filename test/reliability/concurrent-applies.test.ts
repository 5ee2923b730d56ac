/**
 * Concurrent-apply pairs (docs/RELIABILITY.md): two
 * `apply` runs of one set and region as real child processes against one emulator, their manifests
 * wanting different values, started a seeded few milliseconds apart. Odd pairs queue (`--lock-timeout
 * 2m`: both must succeed, one after the other); even pairs do not wait (`0s`: the later one either fails
 * naming the holder or, if the first was already done, runs after it). Held in every pair: the lock
 * windows never overlap, no AppStream change falls outside one, and the estate ends exactly as one
 * manifest says. Small in `npm test`; 10 pairs with RELIABILITY_FULL=1. Needs `npm run build`.
 */
import { DescribeFleetsCommand, DescribeStacksCommand } from "@aws-sdk/client-appstream";
import { afterAll, beforeAll, describe, it } from "vitest";
import { startTestEmulator } from "../emulator/helpers.js";
import { fakeAwsCredentials } from "../e2e/helpers.js";
import { assertSerialized, childCli, createLockTable, labelled } from "../e2e/lock-helpers.js";
import { cases, cli, record, seededInt } from "./helpers.js";

const PAIRS = cases(1, 10);
let tried = 0;
let held = 0;
let failedFast = 0;
beforeAll(fakeAwsCredentials);
afterAll(() =>
  record({
    suite: "concurrent applies", cases: tried, faults: "two child-process applies of one set, seeded 0–400 ms apart; half --lock-timeout 2m, half 0s",
    converged: held, lost: tried - held, note: `held = lock windows disjoint, every change inside one, final state exactly one manifest's; ${failedFast} second runs failed naming the holder`,
  }),
);

describe("concurrent applies of one set", () => {
  it.each(PAIRS)("pair %i: never interleaved, the estate ends as exactly one manifest says", async (pair) => {
    tried++;
    const t = await startTestEmulator();
    try {
      const url = t.emu.url;
      await createLockTable(url);
      const set = `pair${pair}`;
      const files = [labelled(set, "A"), labelled(set, "B")] as const;
      const timeout = pair % 2 === 1 ? "2m" : "0s";
      const args = (file: string) => ["-f", file, "apply", "--auto-approve", "--allow-disruption", "--lock-timeout", timeout];
      const first = childCli(url, args(files[0]));
      await new Promise((r) => setTimeout(r, seededInt(pair, 0, 400)));
      const results = await Promise.all([first, childCli(url, args(files[1]))]);

      const codes = results.map((r) => r.code);
      for (const r of results) {
        if (r.code === 1 && !r.stderr.includes(`the apply lock appstreamctl/${set}/us-east-1 in DynamoDB table`)) throw new Error(`exit 1 without naming the holder: ${r.stderr}`);
        if (r.code !== 0 && r.code !== 1) throw new Error(`unexpected exit ${String(r.code)}: ${r.stderr}`);
      }
      if (timeout === "2m" && codes.some((c) => c !== 0)) throw new Error(`a queued apply failed: ${results.map((r) => r.stderr).join("\n")}`);
      if (!codes.includes(0)) throw new Error("neither apply succeeded");
      if (codes.includes(1)) failedFast++;
      const windows = await assertSerialized(url);
      if (windows !== codes.filter((c) => c === 0).length) throw new Error(`${windows} lock windows for ${String(codes)}`);

      const fleet = (await t.client.send(new DescribeFleetsCommand({ Names: [`${set}-fleet`] }))).Fleets![0]!;
      const stack = (await t.client.send(new DescribeStacksCommand({ Names: [`${set}-stack`] }))).Stacks![0]!;
      const label = fleet.Description === "written by A" ? "A" : "B";
      if (fleet.DisplayName !== `fleet ${label}` || stack.Description !== `written by ${label}`) {
        throw new Error(`mixed estate: fleet ${fleet.DisplayName}/${fleet.Description}, stack ${stack.Description}`);
      }
      const plans = await Promise.all(files.map((f) => cli(url, ["-f", f, "plan", "--detailed-exitcode"])));
      if (plans.map((p) => p.code).sort().join() !== "0,2") throw new Error(`plans after the pair: ${plans.map((p) => p.code).join()}`);
      held++;
    } finally {
      await t.close();
    }
  });
});
