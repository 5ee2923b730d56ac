/**
 * Image builders end to end (issue #6): `state: running | stopped` converges with exactly one
 * Start/StopImageBuilder, and an immutable field (every field but state and agent version, reference
 * §6.1: there is no UpdateImageBuilder) plans a destructive replace that apply carries out as
 * stop → delete → create.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { control, useEmulator } from "../emulator/helpers.js";
import { changesOf, mutations, planOf, table } from "./apply-helpers.js";
import { cli, fakeAwsCredentials, writeManifest } from "./helpers.js";
import { applyLog } from "./issue6-helpers.js";

const BASE = "AppStream-WinServer2022-11-12-2025";

beforeAll(fakeAwsCredentials);

const builder = (fields: string, instanceType = "stream.standard.medium") => writeManifest(`apiVersion: appstreamctl/v1
metadata: { name: builders }
imageBuilders:
  - name: ib
    imageName: ${BASE}
    instanceType: ${instanceType}
${fields}`);

describe("image builder run state and replacement", () => {
  const emulator = useEmulator({}, { scope: "all" });

  const stateOfIb = async () => (await table(emulator().emu.url, "us-east-1", "imageBuilders")).ib?.state;

  it("created RUNNING (the default state): one CreateImageBuilder", async () => {
    expect(await applyLog(emulator().emu.url, builder(""))).toEqual(["CreateImageBuilder ib"]);
    expect(await stateOfIb()).toBe("RUNNING");
  });

  it("state: stopped → exactly one StopImageBuilder, with the session warning in the plan", async () => {
    const file = builder("    state: stopped\n");
    const plan = await planOf(emulator().emu.url, file);
    expect(changesOf(plan)).toEqual({ "ImageBuilder/ib": "update" });
    const c = plan.resourceChanges[0]!;
    expect(c.diff).toMatchObject([{ path: "state", before: "running", after: "stopped" }]);
    expect(c.warnings).toEqual(["stopping the image builder ends any session connected to it"]);
    expect(await applyLog(emulator().emu.url, file)).toEqual(["StopImageBuilder ib"]);
    expect(await stateOfIb()).toBe("STOPPED");
  });

  it("state: running again → exactly one StartImageBuilder", async () => {
    expect(await applyLog(emulator().emu.url, builder("    state: running\n"))).toEqual(["StartImageBuilder ib"]);
    expect(await stateOfIb()).toBe("RUNNING");
  });

  it("instanceType changed: -/+ replace flagged destructive with the lost-work note; apply stops, deletes and re-creates it", async () => {
    const file = builder("", "stream.standard.large");
    const plan = await planOf(emulator().emu.url, file);
    expect(changesOf(plan)).toEqual({ "ImageBuilder/ib": "delete,create" });
    const c = plan.resourceChanges[0]!;
    expect(c.disruption).toBe("replace");
    expect(c.reason).toBe("instanceType cannot be changed in place: image builder fields are immutable: it is deleted and created again, and work inside it is lost");
    expect(c.diff).toMatchObject([{ path: "instanceType", before: "stream.standard.medium", after: "stream.standard.large" }]);
    expect(plan.summary).toEqual({ add: 1, change: 0, destroy: 1, disruptive: 1 });
    const text = await cli(emulator().emu.url, ["-f", file, "plan"]);
    expect(text.stdout).toMatch(/^! -\/\+ ImageBuilder\/ib/m);
    expect(text.stdout).toContain("work inside it is lost");
    expect(text.stdout).toContain("# immutable: forces replacement");

    // Without --allow-disruption the replace is refused and nothing is sent.
    await control(emulator().emu.url, "DELETE", "calls");
    const refused = await cli(emulator().emu.url, ["-f", file, "apply", "--auto-approve"]);
    expect(refused.code).toBe(1);
    expect(await mutations(emulator().emu.url)).toEqual([]);

    expect(await applyLog(emulator().emu.url, file)).toEqual(["StopImageBuilder ib", "DeleteImageBuilder ib", "CreateImageBuilder ib"]);
    const live = (await table(emulator().emu.url, "us-east-1", "imageBuilders")).ib;
    expect(live?.attrs.InstanceType).toBe("stream.standard.large");
    expect(live?.state).toBe("RUNNING");
  });

  it("a new agent version on a running builder: stop, then start with the version (StartImageBuilder is the only way to set it)", async () => {
    const file = builder("    appstreamAgentVersion: 10-10-2025\n", "stream.standard.large");
    const plan = await planOf(emulator().emu.url, file);
    expect(changesOf(plan)).toEqual({ "ImageBuilder/ib": "update" });
    expect(plan.steps.filter((s) => s.op.startsWith("image-builder.")).map((s) => [s.op, s.params])).toEqual([
      ["image-builder.stop", { Name: "ib" }],
      ["image-builder.start", { Name: "ib", AppstreamAgentVersion: "10-10-2025" }],
    ]);
    expect(await applyLog(emulator().emu.url, file)).toEqual(["StopImageBuilder ib", "StartImageBuilder ib"]);
    expect(await stateOfIb()).toBe("RUNNING");
  });

  it("created with state: stopped: CreateImageBuilder, then one StopImageBuilder once it is RUNNING", async () => {
    const file = writeManifest(`apiVersion: appstreamctl/v1
metadata: { name: builders2 }
imageBuilders:
  - { name: ib2, imageName: ${BASE}, instanceType: stream.standard.small, state: stopped }
`);
    expect(await applyLog(emulator().emu.url, file)).toEqual(["CreateImageBuilder ib2", "StopImageBuilder ib2"]);
    expect((await table(emulator().emu.url, "us-east-1", "imageBuilders")).ib2?.state).toBe("STOPPED");
  });
});
