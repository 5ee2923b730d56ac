/**
 * A RUNNING fleet whose `imageSelector` now resolves to a newer image (issue #6): the image change is a
 * live UpdateFleet — no StopFleet, the active sessions survive — and the plan says that running sessions
 * keep the old image until they end. (Newest-by-CreatedTime on a stopped fleet is in plan-options.test.ts.)
 */
import { CreateImageBuilderCommand, DescribeSessionsCommand } from "@aws-sdk/client-appstream";
import { beforeAll, describe, expect, it } from "vitest";
import { control, useEmulator } from "../emulator/helpers.js";
import { apply, changesOf, mutations, planOf, table } from "./apply-helpers.js";
import { cli, fakeAwsCredentials, writeManifest } from "./helpers.js";

const BASE = "AppStream-WinServer2022-11-12-2025";

beforeAll(fakeAwsCredentials);

describe("imageSelector moves a running fleet to the newest image", () => {
  const emulator = useEmulator({}, {
    scope: "all",
    setUp: async (t) => {
      for (const b of ["b1", "b2"]) await t.client.send(new CreateImageBuilderCommand({ Name: b, InstanceType: "stream.standard.medium", ImageName: BASE }));
      expect((await control(t.emu.url, "POST", "images", { builderName: "b1", imageName: "corp-win-1" })).status).toBe(200);
    },
  });

  const file = writeManifest(`apiVersion: appstreamctl/v1
metadata: { name: sel }
fleets:
  - name: f
    instanceType: stream.standard.medium
    imageSelector: { nameRegex: "^corp-win-", newest: true }
    computeCapacity: { desiredInstances: 2 }
stacks:
  - name: s
    fleet: f
`);

  it("live UpdateFleet with the session note; the sessions are still ACTIVE afterwards", async () => {
    expect((await apply(emulator().emu.url, file)).code).toBe(0);
    expect((await table(emulator().emu.url, "us-east-1", "fleets")).f?.attrs.ImageName).toBe("corp-win-1");
    // A newer image, created later on the emulator clock, and two users streaming from the fleet.
    await control(emulator().emu.url, "POST", "clock", { advanceSeconds: 3600 });
    expect((await control(emulator().emu.url, "POST", "images", { builderName: "b2", imageName: "corp-win-2" })).status).toBe(200);
    const sessions = await control(emulator().emu.url, "POST", "sessions", { stackName: "s", fleetName: "f", count: 2 });
    expect(sessions.status, JSON.stringify(sessions.body)).toBe(200);

    const plan = await planOf(emulator().emu.url, file);
    expect(plan.reads).toEqual([{ address: "Fleet/f", description: 'imageSelector nameRegex "^corp-win-", newest', result: "corp-win-2" }]);
    expect(changesOf(plan)).toEqual({ "Fleet/f": "update" });
    const c = plan.resourceChanges.find((x) => x.address === "Fleet/f")!;
    expect(c.disruption).toBe("none");
    expect(c.diff).toMatchObject([{ path: "imageName", before: "corp-win-1", after: "corp-win-2" }]);
    expect(c.warnings).toEqual(["new sessions start on corp-win-2; running sessions keep the old image until they end"]);
    const text = await cli(emulator().emu.url, ["-f", file, "plan"]);
    expect(text.stdout).toContain("⚠ new sessions start on corp-win-2; running sessions keep the old image until they end");

    await control(emulator().emu.url, "DELETE", "calls");
    // No --allow-disruption: a live image update needs only the approval of a change.
    const r = await cli(emulator().emu.url, ["-f", file, "apply", "--auto-approve"]);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(await mutations(emulator().emu.url)).toEqual(["UpdateFleet f"]);
    const fleet = (await table(emulator().emu.url, "us-east-1", "fleets")).f;
    expect(fleet?.attrs.ImageName).toBe("corp-win-2");
    expect(fleet?.state).toBe("RUNNING");
    const live = await emulator().client.send(new DescribeSessionsCommand({ StackName: "s", FleetName: "f" }));
    expect(live.Sessions?.map((s) => [s.Id, s.State]).sort()).toEqual((sessions.body.sessions as string[]).map((id) => [id, "ACTIVE"]).sort());
    expect(changesOf(await planOf(emulator().emu.url, file))).toEqual({});
  });
});
