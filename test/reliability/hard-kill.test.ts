/**
 * Hard kills (docs/RELIABILITY.md): a real `node bin/appstreamctl.js apply` child is killed with SIGKILL
 * (no handler runs, nothing is flushed) after a seeded number of progress lines, against one emulator
 * whose transitions take time. Odd seeds kill the first apply of the example estate; even seeds kill a
 * disruptive update (stop → update → start of the running fleets). Held: a plain re-run exits 0, the plan
 * after it is a no-op, and every fleet ends in the manifest's run state — nothing is lost, nothing is left
 * stopped. Small in `npm test`; 20 with RELIABILITY_FULL=1. Needs `npm run build`.
 */
import { DescribeFleetsCommand } from "@aws-sdk/client-appstream";
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, it } from "vitest";
import { startTestEmulator } from "../emulator/helpers.js";
import { fakeAwsCredentials, PASSWORD } from "../e2e/helpers.js";
import { cases, cli, EXAMPLE, record, seededInt } from "./helpers.js";

const BIN = join(import.meta.dirname, "../../bin/appstreamctl.js");
const SEEDS = cases(3, 20);
let tried = 0;
let held = 0;
const killedAt: number[] = [];
beforeAll(fakeAwsCredentials);
afterAll(() =>
  record({
    suite: "hard kills", cases: tried, faults: `SIGKILL of a real apply child after a seeded progress line (${killedAt.length ? `${Math.min(...killedAt)}..${Math.max(...killedAt)}` : "none"})`,
    converged: held, lost: tried - held, note: "odd seeds: first apply of the example; even seeds: a disruptive update of its running fleets; held = a re-run exits 0, then plan is a no-op and every fleet is in its declared run state",
  }),
);

/** Runs apply as a child and SIGKILLs it once it has written `lines` lines to stderr (or lets it finish). */
function killedApply(url: string, file: string, lines: number): Promise<{ killed: boolean; stderr: string }> {
  return new Promise((resolve) => {
    const proc = spawn(process.execPath, [BIN, "--endpoint-url", url, "--color", "never", "-f", file, "apply", "--auto-approve", "--allow-disruption"], {
      stdio: ["ignore", "ignore", "pipe"],
      env: {
        ...process.env, AWS_REGION: "us-east-1", AWS_ACCESS_KEY_ID: "AKIDTEST", AWS_SECRET_ACCESS_KEY: "test-secret",
        APPSTREAM_AD_PASSWORD: PASSWORD, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true",
      },
    });
    let stderr = "";
    let killed = false;
    proc.stderr.on("data", (c: Buffer) => {
      stderr += c.toString();
      if (!killed && stderr.split("\n").length > lines) {
        killed = true;
        proc.kill("SIGKILL");
      }
    });
    proc.on("exit", () => resolve({ killed, stderr }));
  });
}

describe("hard kills", () => {
  it.each(SEEDS)("seed %i: SIGKILL mid-apply, then a re-run converges and leaves no fleet stopped", async (seed) => {
    tried++;
    // Transitions take time (a fleet starts in about a second), so kills land inside waits as well as calls.
    const t = await startTestEmulator({ timeScale: 0.002 });
    try {
      const url = t.emu.url;
      const dir = mkdtempSync(join(tmpdir(), "asctl-kill-"));
      const base = readFileSync(EXAMPLE, "utf8");
      let file = join(dir, "appstream.yaml");
      writeFileSync(file, base);
      if (seed % 2 === 0) {
        const first = await cli(url, ["-f", file, "apply", "--auto-approve", "--allow-disruption"]);
        if (first.code !== 0) throw new Error(`setup apply exited ${first.code}: ${first.stderr}`);
        file = join(dir, "changed.yaml");
        writeFileSync(file, base.replaceAll("instanceType: stream.standard.large", "instanceType: stream.standard.xlarge"));
      }
      const at = seededInt(seed, 2, seed % 2 === 0 ? 8 : 40);
      const kill = await killedApply(url, file, at);
      if (!kill.killed) throw new Error(`the apply ended before its line ${at}: ${kill.stderr}`);
      killedAt.push(at);

      const again = await cli(url, ["-f", file, "apply", "--auto-approve", "--allow-disruption"]);
      if (again.code !== 0) throw new Error(`re-run exited ${again.code}: ${again.stderr}`);
      const plan = await cli(url, ["-f", file, "plan", "--detailed-exitcode"]);
      if (plan.code !== 0) throw new Error(`plan after the re-run exited ${plan.code}:\n${plan.stdout}`);
      const fleets = (await t.client.send(new DescribeFleetsCommand({}))).Fleets ?? [];
      const stopped = fleets.filter((f) => f.State !== "RUNNING").map((f) => `${f.Name} ${f.State}`);
      // The example declares every fleet running.
      if (stopped.length) throw new Error(`fleets not running after the re-run: ${stopped.join(", ")}`);
      held++;
    } finally {
      await t.close();
    }
  }, 240_000);
});
