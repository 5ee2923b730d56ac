/**
 * "Changed since the plan": a fleet changed out of band after the plan was shown (while the
 * operator reads it at the prompt) is not overwritten — its chain fails with the reason, the other
 * resources are applied.
 */
import { PassThrough } from "node:stream";
import { DescribeFleetsCommand, StartFleetCommand, StopFleetCommand, UpdateFleetCommand } from "@aws-sdk/client-appstream";
import { describe, expect, it } from "vitest";
import { BufferOut, type Io } from "../../src/cli/io.js";
import { run } from "../../src/cli/main.js";
import { calls, control, startTestEmulator, useEmulator } from "../emulator/helpers.js";
import { apply } from "./apply-helpers.js";
import { fakeAwsCredentials, writeManifest } from "./helpers.js";

fakeAwsCredentials();

const manifest = (label: string) => writeManifest(`apiVersion: appstreamctl/v1
metadata: { name: recheck }
fleets:
${["one", "two"].map((n) => `  - { name: ${n}, instanceType: stream.standard.small, imageName: AppStream-AmazonLinux2-11-12-2025, computeCapacity: { desiredInstances: 1 }, state: stopped, description: ${label} }`).join("\n")}
`);

describe("the executor re-checks each resource before its first change", () => {
  const emulator = useEmulator({}, { scope: "all" });

  it("a fleet changed between plan and apply fails its own chain with the reason; the other fleet is updated", async () => {
    expect((await apply(emulator().emu.url, manifest("v1"))).code).toBe(0);
    const file = manifest("v2");

    const stdin = Object.assign(new PassThrough(), { isTTY: true });
    const stdout = new BufferOut();
    const stderr = new BufferOut();
    const io: Io = { stdout, stderr, stdin, cwd: process.cwd(), env: { AWS_REGION: "us-east-1" } };
    await control(emulator().emu.url, "DELETE", "calls");
    const applying = run(["--endpoint-url", emulator().emu.url, "--color", "never", "-f", file, "apply"], io);
    for (let i = 0; i < 400 && !stderr.text().includes("Do you want to perform these actions?"); i++) await new Promise((r) => setTimeout(r, 25));
    expect(stdout.text()).toContain("~ Fleet/one");
    // What a console user does while the plan is being read.
    await emulator().client.send(new UpdateFleetCommand({ Name: "one", DisplayName: "edited by hand" }));
    stdin.write("yes\n");
    const code = await applying;

    expect(code).toBe(3);
    expect(stderr.text()).toContain("Fleet/one changed since the plan (displayName); it was not overwritten. Run plan again.");
    const fleets = (await emulator().client.send(new DescribeFleetsCommand({ Names: ["one", "two"] }))).Fleets!;
    expect(fleets.map((f) => [f.Name, f.DisplayName, f.Description])).toEqual([
      ["one", "edited by hand", "v1"],
      ["two", undefined, "v2"],
    ]);
    const updates = (await calls(emulator().emu.url)).filter((c) => c.operation === "UpdateFleet").map((c) => [c.resource, c.outcome]);
    // The first UpdateFleet of "one" is the out-of-band edit; apply sent none to it.
    expect(updates).toEqual([["one", "ok"], ["two", "ok"]]);
  });

  it("a fleet the plan saw STARTING is expected to move on: after its settle wait it is updated, not reported as changed", async () => {
    const slow = await startTestEmulator({ timeScale: 0.4 });
    try {
      const running = (label: string) => writeManifest(`apiVersion: appstreamctl/v1
metadata: { name: settles }
fleets:
  - { name: moving, instanceType: stream.standard.small, imageName: AppStream-AmazonLinux2-11-12-2025, computeCapacity: { desiredInstances: 1 }, description: ${label} }
`);
      expect((await apply(slow.emu.url, running("v1"))).code).toBe(0);
      await slow.client.send(new StopFleetCommand({ Name: "moving" }));
      for (let i = 0; i < 200 && (await slow.client.send(new DescribeFleetsCommand({ Names: ["moving"] }))).Fleets![0]!.State !== "STOPPED"; i++) {
        await new Promise((r) => setTimeout(r, 50));
      }
      await slow.client.send(new StartFleetCommand({ Name: "moving" }));
      const r = await apply(slow.emu.url, running("v2"));
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toContain("~ Fleet/moving");
      // The plan saw it STARTING: its chain began with the settle wait.
      expect(r.stderr).toContain("start    Fleet/moving#settle (wait)");
      expect(r.stderr).not.toContain("changed since the plan");
      const fleet = (await slow.client.send(new DescribeFleetsCommand({ Names: ["moving"] }))).Fleets![0]!;
      expect([fleet.State, fleet.Description]).toEqual(["RUNNING", "v2"]);
    } finally {
      await slow.close();
    }
  });
});
