/**
 * A running fleet is never left stopped by appstreamctl, end to end through the real SDK against the
 * emulator: an UpdateFleet that fails after the stop (fault `UpdateFleet:ipc=every1`), a second Ctrl-C
 * sent to a real child process, and a fleet left STARTING by a wait timeout that a re-run converges.
 */
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { control, startTestEmulator, type TestEmulator } from "../emulator/helpers.js";
import { apply, changesOf, mutations, planOf, table } from "./apply-helpers.js";
import { cli, fakeAwsCredentials, writeManifest } from "./helpers.js";

const IMAGE = "AppStream-WinServer2022-11-12-2025";
const BIN = fileURLToPath(new URL("../../bin/appstreamctl.js", import.meta.url));

beforeAll(fakeAwsCredentials);

const manifest = (name: string, instanceType: string) => `apiVersion: appstreamctl/v1
metadata: { name: ${name} }
fleets:
  - { name: ${name}, instanceType: ${instanceType}, imageName: ${IMAGE}, computeCapacity: { desiredInstances: 1 } }
`;

async function fleet(url: string, name: string): Promise<{ state?: string; instanceType: unknown }> {
  const row = (await table(url, "us-east-1", "fleets"))[name];
  return { state: row?.state, instanceType: row?.attrs.InstanceType };
}

describe("UpdateFleet fails after the stop", () => {
  let t: TestEmulator;
  beforeAll(async () => (t = await startTestEmulator()));
  afterAll(async () => t.close());

  it("the fleet ends RUNNING on its old configuration, exit 3, and the summary says so; a re-run converges", async () => {
    expect((await apply(t.emu.url, writeManifest(manifest("u", "stream.standard.medium")))).code).toBe(0);
    const larger = writeManifest(manifest("u", "stream.standard.large"));
    await control(t.emu.url, "POST", "faults", { spec: "UpdateFleet:ipc=every1" });
    await control(t.emu.url, "DELETE", "calls");
    const r = await apply(t.emu.url, larger);
    expect(r.code, r.stdout + r.stderr).toBe(3);
    expect(await mutations(t.emu.url)).toEqual(["StopFleet u", "UpdateFleet u", "StartFleet u"]);
    expect(await fleet(t.emu.url, "u")).toEqual({ state: "RUNNING", instanceType: "stream.standard.medium" });
    expect(r.stderr).toMatch(/^restore {2}Fleet\/u: Fleet\/u#update failed; bringing it back into service as it was$/m);
    expect(r.stderr).toMatch(/^restored Fleet\/u \(Fleet\/u#update failed\)$/m);
    expect(r.stdout).toContain("Fleet/u — fleet.update failed after");
    expect(r.stdout).toContain("InvalidParameterCombinationException");
    expect(r.stdout).toContain("  ↺ Fleet/u — put back into service as it was before this apply (Fleet/u#update failed)\n");
    expect(r.stdout).toContain("Run state:\n  Fleet/u: RUNNING\n");

    await control(t.emu.url, "POST", "faults", { spec: "" });
    expect((await apply(t.emu.url, larger)).code).toBe(0);
    expect(await fleet(t.emu.url, "u")).toEqual({ state: "RUNNING", instanceType: "stream.standard.large" });
    expect(changesOf(await planOf(t.emu.url, larger))).toEqual({});
  });
});

describe("an image builder's agent update that cannot start", () => {
  let t: TestEmulator;
  beforeAll(async () => (t = await startTestEmulator()));
  afterAll(async () => t.close());

  it("the restart on the old agent is tried; when it fails too, the summary says the builder is left STOPPED and how to start it", async () => {
    const builder = (agent: string) => writeManifest(`apiVersion: appstreamctl/v1
metadata: { name: b }
imageBuilders:
  - { name: b, imageName: ${IMAGE}, instanceType: stream.standard.medium${agent} }
`);
    expect((await apply(t.emu.url, builder(""))).code).toBe(0);
    await control(t.emu.url, "POST", "faults", { spec: "StartImageBuilder:ipc=every1" });
    await control(t.emu.url, "DELETE", "calls");
    const r = await apply(t.emu.url, builder(", appstreamAgentVersion: 10-10-2025"));
    expect(r.code, r.stdout).toBe(3);
    expect(await mutations(t.emu.url)).toEqual(["StopImageBuilder b", "StartImageBuilder b", "StartImageBuilder b"]);
    expect(r.stdout).toMatch(
      /^ImageBuilder\/b is left STOPPED: this apply took it out of service \(ImageBuilder\/b#start failed\) and its restart failed: image-builder\.start failed: StartImageBuilder ImageBuilder\/b failed: InvalidParameterCombinationException/m,
    );
    expect(r.stdout).toContain("  Restart it with: aws appstream start-image-builder --name b --region us-east-1\n");
    expect(r.stdout).toContain("Run state:\n  ImageBuilder/b: STOPPED\n");
  });
});

/** Runs the built CLI as a child process; `onStderr` sees stderr as it grows and may signal the child. */
function child(url: string, args: string[], onStderr: (text: string, kill: (s: NodeJS.Signals) => void) => void) {
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
    const env = { ...process.env, AWS_REGION: "us-east-1", AWS_ACCESS_KEY_ID: "AKIDTEST", AWS_SECRET_ACCESS_KEY: "test-secret" };
    const proc = spawn(process.execPath, [BIN, "--endpoint-url", url, "--color", "never", ...args], { env, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    proc.stdout.on("data", (c: Buffer) => (stdout += c.toString()));
    proc.stderr.on("data", (c: Buffer) => {
      stderr += c.toString();
      onStderr(stderr, (s) => proc.kill(s));
    });
    proc.on("exit", (code) => resolve({ code, stdout, stderr }));
  });
}

describe("second Ctrl-C in a real process", () => {
  let t: TestEmulator;
  // Stops and starts take 150–250 ms; the UpdateFleet is held 1.5 s so both interrupts land while it is in flight.
  beforeAll(async () => (t = await startTestEmulator({ timeScale: 0.05 })));
  afterAll(async () => t.close());

  it("abandons the restart, exits 130, and says which fleet is left STOPPED and the command that restarts it", async () => {
    expect((await apply(t.emu.url, writeManifest(manifest("c", "stream.standard.medium")))).code).toBe(0);
    const larger = writeManifest(manifest("c", "stream.standard.large"));
    await control(t.emu.url, "POST", "faults", { spec: "UpdateFleet:latency=1500ms" });
    let sent = 0;
    const r = await child(t.emu.url, ["-f", larger, "apply", "--auto-approve", "--allow-disruption"], (err, kill) => {
      if (sent === 0 && /^start +Fleet\/c#update /m.test(err)) {
        sent = 1;
        kill("SIGINT");
      } else if (sent === 1 && /^interrupted: no new changes start/m.test(err)) {
        sent = 2;
        kill("SIGINT");
      }
    });
    expect(r.code, r.stderr).toBe(130);
    expect(r.stderr).toMatch(/^interrupted again: exiting now, abandoning any restart in progress/m);
    expect(r.stdout).toMatch(/^Apply interrupted: /m);
    expect(r.stdout).toContain(
      "Fleet/c is left STOPPED: this apply took it out of service (the apply was interrupted) and its restart was abandoned by the second Ctrl-C.\n" +
        "  Restart it with: aws appstream start-fleet --name c --region us-east-1\n" +
        "  or run appstreamctl apply again, which plans from the live state and converges it to the manifest.\n",
    );
    expect(r.stdout).toContain("Run state:\n  Fleet/c: STOPPED (last seen; not read again)\n");
    expect((await fleet(t.emu.url, "c")).state).toBe("STOPPED");

    await control(t.emu.url, "POST", "faults", { spec: "" });
    expect((await apply(t.emu.url, larger)).code).toBe(0);
    expect(await fleet(t.emu.url, "c")).toEqual({ state: "RUNNING", instanceType: "stream.standard.large" });
  });
});

describe("transitional states are not convergence", () => {
  let t: TestEmulator;
  // Real time, fleets take 3 s to start: a 500 ms wait timeout leaves one STARTING.
  beforeAll(async () => (t = await startTestEmulator({ timeScale: 1, durations: { fleetStart: 3000 } })));
  afterAll(async () => t.close());

  it("a fleet left STARTING by a wait timeout is planned as a wait; a re-run waits for it and then plans no changes", async () => {
    const file = writeManifest(manifest("s", "stream.standard.medium"));
    const first = await apply(t.emu.url, file, ["--wait-timeout", "fleet=500ms"]);
    expect(first.code, first.stdout).toBe(3);
    expect(first.stdout).toContain("timed out after 500ms waiting for fleet s to be RUNNING");
    expect(first.stdout).toContain("Run state:\n  Fleet/s: STARTING\n");

    const plan = await planOf(t.emu.url, file);
    expect(changesOf(plan)).toEqual({ "Fleet/s": "update" });
    expect(plan.resourceChanges[0]!.diff).toEqual([{ path: "state", before: "STARTING", after: "RUNNING", sensitive: false, why: "state" }]);
    expect(plan.steps.map((s) => [s.op, s.params.until])).toEqual([["wait", "RUNNING"]]);
    expect((await cli(t.emu.url, ["-f", file, "plan", "--detailed-exitcode"])).code).toBe(2);

    await control(t.emu.url, "DELETE", "calls");
    const again = await apply(t.emu.url, file);
    expect(again.code, again.stdout).toBe(0);
    expect(await mutations(t.emu.url)).toEqual([]);
    expect(again.stdout).toContain("Run state:\n  Fleet/s: RUNNING\n");
    expect(changesOf(await planOf(t.emu.url, file))).toEqual({});
  });
});
