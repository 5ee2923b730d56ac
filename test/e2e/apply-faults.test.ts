/**
 * apply under stress, end to end: 20 fleets waited for with one DescribeFleets per poll tick, seeded
 * fault runs that still converge, and Ctrl-C (in-process through io.onInterrupt) that stops cleanly
 * with exit 130 and leaves an estate a re-run converges.
 */
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { run } from "../../src/cli/main.js";
import { BufferOut, type Io, type Out } from "../../src/cli/io.js";
import { calls, control, startTestEmulator, type TestEmulator } from "../emulator/helpers.js";
import { apply, changesOf, planOf, table } from "./apply-helpers.js";
import { fakeAwsCredentials, PASSWORD, writeManifest } from "./helpers.js";

const EXAMPLE = join(import.meta.dirname, "../../examples/appstream.yaml");
const IMAGE = "AppStream-WinServer2022-11-12-2025";

beforeAll(fakeAwsCredentials);

describe("20 fleets created and started in one apply", () => {
  let t: TestEmulator;
  // Fleets take 100 ms to start (time scale 0.02 of 5 s), so many of them are waiting at once; pages of
  // 25 keep every listing to one call.
  beforeAll(async () => (t = await startTestEmulator({ timeScale: 0.02, pageSize: 25, quotas: { fleets: 50 } })));
  afterAll(async () => t.close());

  it("polls them with one DescribeFleets per tick, not one per fleet", async () => {
    const fleets = Array.from({ length: 20 }, (_, i) => `  - { name: f${i}, instanceType: stream.standard.small, imageName: ${IMAGE}, computeCapacity: { desiredInstances: 1 } }`);
    const file = writeManifest(["apiVersion: appstreamctl/v1", "metadata: { name: twenty }", "fleets:", ...fleets, ""].join("\n"));
    await control(t.emu.url, "DELETE", "calls");
    const r = await apply(t.emu.url, file, ["--json"]);
    expect(r.code, r.stderr).toBe(0);
    const events = r.stderr.trim().split("\n").map((l) => JSON.parse(l) as { type: string; kind?: string; names?: string[] });
    const ticks = events.filter((e) => e.type === "poll" && e.kind === "fleet");
    const log = await calls(t.emu.url);
    const byOp = (op: string) => log.filter((c) => c.operation === op).length;
    expect(byOp("CreateFleet")).toBe(20);
    expect(byOp("StartFleet")).toBe(20);
    // One DescribeFleets of the plan's read, then exactly one per poll tick.
    expect(byOp("DescribeFleets")).toBe(1 + ticks.length);
    expect(ticks.length).toBeLessThan(20);
    expect(ticks.reduce((n, e) => n + (e.names?.length ?? 0), 0)).toBeGreaterThanOrEqual(20);
    expect(Math.max(...ticks.map((e) => e.names?.length ?? 0))).toBeGreaterThan(1);
    const states = Object.values(await table(t.emu.url, "us-east-1", "fleets")).map((f) => f.state);
    expect(states).toEqual(Array(20).fill("RUNNING"));
  });
});

describe("fault runs converge", () => {
  let t: TestEmulator;
  beforeAll(async () => (t = await startTestEmulator()));
  afterAll(async () => t.close());

  it("throttling, RequestLimitExceeded, ConcurrentModification, 5xx and eventual consistency: the example converges", async () => {
    await control(t.emu.url, "POST", "faults", { spec: "seed=7,throttle=0.04,rle=0.04,cme=0.04,5xx=0.03,consistency=30ms" });
    const r = await apply(t.emu.url, EXAMPLE);
    const log = await calls(t.emu.url);
    await control(t.emu.url, "POST", "faults", { spec: "" });
    expect(r.code, r.stdout).toBe(0);
    const outcomes = new Set(log.map((c) => c.outcome));
    for (const fault of ["ThrottlingException", "RequestLimitExceededException", "ConcurrentModificationException"]) expect(outcomes).toContain(fault);
    expect(log.some((c) => c.status >= 500)).toBe(true);
    expect(r.stderr).toMatch(/^retry {4}/m);
    expect(r.stdout + r.stderr).not.toContain(PASSWORD);
    expect(changesOf(await planOf(t.emu.url, EXAMPLE))).toEqual({});
  });
});

/** An Out that calls `fn` once when a line matching `pattern` is written. */
function tripwire(out: BufferOut, pattern: RegExp, fn: () => void): Out {
  let fired = false;
  return {
    isTTY: false,
    write(chunk: string) {
      out.write(chunk);
      if (!fired && pattern.test(chunk)) {
        fired = true;
        fn();
      }
      return true;
    },
  };
}

/** Runs apply in-process with an interrupt handler the test fires `times` times when `pattern` shows on stderr. */
async function applyInterrupted(url: string, file: string, pattern: RegExp, times: number) {
  let handler: (() => void) | undefined;
  const stdout = new BufferOut();
  const err = new BufferOut();
  const stderr = tripwire(err, pattern, () => {
    for (let i = 0; i < times; i++) handler?.();
  });
  const io: Io = {
    stdout, stderr, cwd: process.cwd(), env: { AWS_REGION: "us-east-1", APPSTREAM_AD_PASSWORD: PASSWORD },
    onInterrupt: (h) => {
      handler = h;
      return () => (handler = undefined);
    },
  };
  const code = await run(["--endpoint-url", url, "--color", "never", "-f", file, "apply", "--auto-approve", "--allow-disruption"], io);
  return { code, stdout: stdout.text(), stderr: err.text(), handlerRemoved: handler === undefined };
}

describe("Ctrl-C", () => {
  let t: TestEmulator;
  beforeAll(async () => (t = await startTestEmulator({ timeScale: 0.01 })));
  afterAll(async () => t.close());

  it("first Ctrl-C: no new mutations, exit 130 with a report; a re-run converges", async () => {
    await control(t.emu.url, "DELETE", "calls");
    const r = await applyInterrupted(t.emu.url, EXAMPLE, /^done /m, 1);
    expect(r.code).toBe(130);
    expect(r.handlerRemoved).toBe(true);
    expect(r.stderr).toContain("interrupted: no new changes start; waiting for the calls in flight");
    expect(r.stdout).toMatch(/Apply interrupted: \d+ done, 0 failed, 0 skipped, (\d+ interrupted, )?\d+ not started steps in/);
    const afterInterrupt = r.stderr.slice(r.stderr.indexOf("interrupted:"));
    expect(afterInterrupt).not.toMatch(/^start /m);
    const sent = (await calls(t.emu.url)).filter((c) => c.mutating).length;
    // At most the first step's resource and the calls already in flight (--parallelism 4) went out.
    expect(sent).toBeLessThanOrEqual(5);
    const again = await apply(t.emu.url, EXAMPLE);
    expect(again.code, again.stdout).toBe(0);
    expect(changesOf(await planOf(t.emu.url, EXAMPLE))).toEqual({});
  });

  it("second Ctrl-C: exits 130 at once with a summary, without waiting for the apply to finish", async () => {
    const file = writeManifest(`apiVersion: appstreamctl/v1
metadata: { name: hard }
fleets:
  - { name: h, instanceType: stream.standard.small, imageName: ${IMAGE}, computeCapacity: { desiredInstances: 1 } }
`);
    const r = await applyInterrupted(t.emu.url, file, /^start +Fleet\/h#running/m, 2);
    expect(r.code).toBe(130);
    expect(r.stderr).toContain("interrupted again: exiting now");
    // Nothing is read after the second Ctrl-C: the run state is the last one a wait saw, said as such.
    expect(r.stdout).toMatch(/^Apply interrupted: 2 done, 0 failed, 0 skipped, 1 interrupted steps in /m);
    expect(r.stdout).toMatch(/^ {2}Fleet\/h: (STOPPED|STARTING|unknown) \(last seen; not read again\)$/m);
    expect(r.stdout).not.toContain("is left");
    expect((await apply(t.emu.url, file)).code).toBe(0);
    expect(changesOf(await planOf(t.emu.url, file))).toEqual({});
  });
});
