/**
 * One apply is enough for image selectors: an image the same plan produces is a candidate (the newest),
 * the fleet's create or update waits for it, and the plan's read says so. And a selector regex that
 * cannot be compiled as plan compiles it is a positioned validation error, never an internal one.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { calls, control, useEmulator } from "../emulator/helpers.js";
import { apply, changesOf, planOf, table } from "./apply-helpers.js";
import { cli, fakeAwsCredentials, writeManifest } from "./helpers.js";

beforeAll(fakeAwsCredentials);

const BASE = "AppStream-WinServer2022-11-12-2025";
const estate = (image: string) => writeManifest(`apiVersion: appstreamctl/v1
metadata: { name: produced }
images:
  - name: ${image}
    source: { importFromAmi: { sourceAmiId: ami-0123456789abcdef0, iamRoleArn: "arn:aws:iam::123456789012:role/import" } }
fleets:
  - name: f
    instanceType: stream.standard.medium
    imageSelector: { nameRegex: "^corp-win-" }
    computeCapacity: { desiredInstances: 1 }
    state: stopped
`);

describe("a selector resolves to an image the same plan produces", () => {
  const emulator = useEmulator({}, { scope: "all" });

  it("fresh estate: the plan reads the produced image, the fleet is created after its wait, one apply converges", async () => {
    const file = estate("corp-win-1");
    const plan = await planOf(emulator().emu.url, file);
    expect(plan.reads).toContainEqual({ address: "Fleet/f", description: 'imageSelector nameRegex "^corp-win-", newest', result: "corp-win-1 (produced by this plan: waited for until AVAILABLE)" });
    const wait = plan.steps.find((s) => s.address === "Image/corp-win-1" && s.op === "wait")!;
    const create = plan.steps.find((s) => s.address === "Fleet/f" && s.op === "fleet.create")!;
    expect(create.dependsOn).toContain(wait.id);
    expect(create.params.ImageName).toBe("corp-win-1");
    const r = await apply(emulator().emu.url, file);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect((await table(emulator().emu.url, "us-east-1", "fleets")).f!.attrs.ImageName).toBe("corp-win-1");
    expect(changesOf(await planOf(emulator().emu.url, file))).toEqual({});
  });

  it("a newer matching image in the same plan moves the fleet in that apply", async () => {
    const file = estate("corp-win-2");
    const plan = await planOf(emulator().emu.url, file);
    expect(plan.reads.find((r) => r.address === "Fleet/f")!.result).toBe("corp-win-2 (produced by this plan: waited for until AVAILABLE)");
    const update = plan.steps.find((s) => s.address === "Fleet/f" && s.op === "fleet.update")!;
    expect(update.params).toEqual({ Name: "f", ImageName: "corp-win-2" });
    expect(update.dependsOn).toContain(plan.steps.find((s) => s.address === "Image/corp-win-2" && s.op === "wait")!.id);
    const r = await apply(emulator().emu.url, file);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect((await table(emulator().emu.url, "us-east-1", "fleets")).f!.attrs.ImageName).toBe("corp-win-2");
    expect(changesOf(await planOf(emulator().emu.url, file))).toEqual({});
  });
});

describe("selector regexes are validated as plan compiles them", () => {
  const emulator = useEmulator({}, { scope: "all" });

  it("^AppStream\\-WinServer is a positioned rule.image-selector error from validate and plan, with no AWS call", async () => {
    const file = writeManifest(`apiVersion: appstreamctl/v1
metadata: { name: sel }
fleets:
  - name: f
    instanceType: stream.standard.medium
    imageSelector: { nameRegex: "^AppStream\\\\-WinServer" }
    computeCapacity: { desiredInstances: 1 }
`);
    await control(emulator().emu.url, "DELETE", "calls");
    for (const cmd of ["validate", "plan"]) {
      const r = await cli(emulator().emu.url, ["-f", file, cmd]);
      expect(r.code, cmd).toBe(1);
      const out = r.stdout + r.stderr;
      expect(out).toContain("rule.image-selector");
      expect(out).toContain("appstream.yaml:6:");
      expect(out).toContain("nameRegex is not a valid regular expression (Unicode mode, flag u)");
      expect(out).not.toContain("internal");
    }
    expect(await calls(emulator().emu.url)).toEqual([]);
  });
});
