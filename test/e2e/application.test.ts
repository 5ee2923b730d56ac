/**
 * Applications and their Elastic-fleet associations end to end: the real CLI against the emulator.
 * The app blocks are made through the SDK (the manifest names them; their kind is another file's).
 */
import { CreateAppBlockCommand, UpdateApplicationCommand, DescribeApplicationsCommand } from "@aws-sdk/client-appstream";
import { writeFileSync } from "node:fs";
import { beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import type { DriftReport } from "../../src/core/drift.js";
import { clientOf, control, useEmulator } from "../emulator/helpers.js";
import { apply, changesOf, mutations, planOf } from "./apply-helpers.js";
import { cli, fakeAwsCredentials, writeManifest } from "./helpers.js";

beforeAll(fakeAwsCredentials);

const FLEET = `
  - name: elastic
    fleetType: ELASTIC
    instanceType: stream.standard.small
    platform: AMAZON_LINUX2
    maxConcurrentSessions: 5
    vpcConfig: { subnetIds: [subnet-0a1b2c3d, subnet-0a1b2c3e] }
    state: stopped`;

function manifest(app: string, withFleet = true): string {
  return `apiVersion: appstreamctl/v1
metadata: { name: apps }
fleets:${withFleet ? FLEET : " []"}
applications:${app}
`;
}

const APP = `
  - name: editor
    displayName: Editor
    iconS3Location: { s3Bucket: icons, s3Key: editor.png }
    launchPath: /usr/bin/editor
    launchParameters: --new
    workingDirectory: /tmp
    instanceFamilies: [GENERAL_PURPOSE]
    platforms: [AMAZON_LINUX2]
    appBlock: editor-block
    fleets: [elastic]`;

async function seedBlocks(url: string): Promise<void> {
  const c = clientOf(url);
  for (const name of ["editor-block", "editor-block-2"]) {
    await c.send(new CreateAppBlockCommand({
      Name: name, SourceS3Location: { S3Bucket: "blocks", S3Key: `${name}.vhdx` },
      SetupScriptDetails: { ScriptS3Location: { S3Bucket: "blocks", S3Key: "setup.sh" }, ExecutablePath: "/bin/sh", TimeoutInSeconds: 60 },
    }));
  }
}

describe("applications: create, update per mode, prune, drift, export", () => {
  const emulator = useEmulator({}, { setUp: (t) => seedBlocks(t.emu.url) });
  const url = () => emulator().emu.url;

  async function created(): Promise<string> {
    const file = writeManifest(manifest(APP));
    const r = await apply(url(), file);
    expect(r.code, r.stderr).toBe(0);
    await control(url(), "DELETE", "calls");
    return file;
  }

  it("creates the application and its fleet association; a second plan has no changes", async () => {
    const file = writeManifest(manifest(APP));
    await control(url(), "DELETE", "calls");
    const r = await apply(url(), file);
    expect(r.code, r.stderr).toBe(0);
    // The association waits for both: the application (which names the block) and the fleet.
    expect(await mutations(url())).toEqual(["CreateFleet elastic", "CreateApplication editor", "AssociateApplicationFleet elastic"]);
    const app = (await clientOf(url()).send(new DescribeApplicationsCommand({}))).Applications![0]!;
    expect(app.AppBlockArn).toMatch(/:app-block\/editor-block$/);
    expect(app.LaunchParameters).toBe("--new");
    const plan = await cli(url(), ["-f", file, "plan"]);
    expect(plan.code, plan.stderr).toBe(0);
    expect(plan.stdout).toContain("No changes");
  });

  it("a live field, a cleared field and a new app block are one UpdateApplication", async () => {
    await created();
    const changed = APP.replace("displayName: Editor", "displayName: Text editor").replace("\n    launchParameters: --new", "").replace("appBlock: editor-block", "appBlock: editor-block-2");
    const file = writeManifest(manifest(changed));
    const plan = await planOf(url(), file);
    expect(changesOf(plan)).toEqual({ "Application/editor": "update" });
    const step = plan.steps.find((st) => st.address === "Application/editor")!;
    expect(step.params).toEqual({ Name: "editor", DisplayName: "Text editor", AppBlockName: "editor-block-2", AttributesToDelete: ["LAUNCH_PARAMETERS"] });
    const r = await apply(url(), file);
    expect(r.code, r.stderr).toBe(0);
    expect(await mutations(url())).toEqual(["UpdateApplication editor"]);
    const app = (await clientOf(url()).send(new DescribeApplicationsCommand({}))).Applications![0]!;
    expect([app.DisplayName, app.LaunchParameters, app.AppBlockArn?.split("/").at(-1)]).toEqual(["Text editor", undefined, "editor-block-2"]);
    expect(changesOf(await planOf(url(), file))).toEqual({});
  });

  it("removing displayName sends the empty default back, and the next plan is clean", async () => {
    await created();
    const file = writeManifest(manifest(APP.replace("\n    displayName: Editor", "")));
    const plan = await planOf(url(), file);
    expect(plan.steps.find((st) => st.address === "Application/editor")!.params).toEqual({ Name: "editor", DisplayName: "" });
    const r = await apply(url(), file);
    expect(r.code, r.stderr).toBe(0);
    expect(await mutations(url())).toEqual(["UpdateApplication editor"]);
    expect(changesOf(await planOf(url(), file))).toEqual({});
  });

  it("a platforms change replaces the application, its association going first and coming back", async () => {
    await created();
    const file = writeManifest(manifest(APP.replace("platforms: [AMAZON_LINUX2]", "platforms: [AMAZON_LINUX2, WINDOWS_SERVER_2019]")));
    const plan = await planOf(url(), file);
    expect(changesOf(plan)["Application/editor"]).toBe("delete,create");
    const r = await apply(url(), file);
    expect(r.code, r.stderr).toBe(0);
    expect((await mutations(url())).filter((m) => !m.startsWith("TagResource"))).toEqual([
      "DisassociateApplicationFleet elastic", "DeleteApplication editor", "CreateApplication editor", "AssociateApplicationFleet elastic",
    ]);
    expect(changesOf(await planOf(url(), file))).toEqual({});
  });

  it("removing the application with --prune disassociates it before deleting it", async () => {
    await created();
    const file = writeManifest(manifest(" []"));
    const r = await apply(url(), file, ["--prune"]);
    expect(r.code, r.stderr).toBe(0);
    expect(await mutations(url())).toEqual(["DisassociateApplicationFleet elastic", "DeleteApplication editor"]);
    expect((await clientOf(url()).send(new DescribeApplicationsCommand({}))).Applications ?? []).toEqual([]);
  });

  it("dropping a fleet from fleets disassociates only; pruning that fleet too disassociates before the fleet goes", async () => {
    await created();
    const kept = writeManifest(manifest(APP.replace("fleets: [elastic]", "fleets: []")));
    expect(changesOf(await planOf(url(), kept))).toEqual({ "ApplicationFleetAssociation/editor/elastic": "delete" });
    await control(url(), "DELETE", "calls");
    const r = await apply(url(), kept);
    expect(r.code, r.stderr).toBe(0);
    expect(await mutations(url())).toEqual(["DisassociateApplicationFleet elastic"]);

    const back = writeManifest(manifest(APP));
    expect((await apply(url(), back)).code).toBe(0);
    await control(url(), "DELETE", "calls");
    const gone = writeManifest(manifest(APP.replace("fleets: [elastic]", "fleets: []"), false));
    const p = await apply(url(), gone, ["--prune"]);
    expect(p.code, p.stderr).toBe(0);
    expect(await mutations(url())).toEqual(["DisassociateApplicationFleet elastic", "DeleteFleet elastic"]);
  });

  it("an app block that does not exist fails the create with apply.failed, naming it", async () => {
    const file = writeManifest(manifest(APP.replace("appBlock: editor-block", "appBlock: no-such-block")));
    const r = await apply(url(), file);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain("app block no-such-block does not exist in this Region");
    expect((await mutations(url())).filter((m) => m.includes("Application"))).toEqual([]);
  });

  it("drift reports an out-of-band change; export writes the entry back and its plan is a no-op", async () => {
    const file = await created();
    await clientOf(url()).send(new UpdateApplicationCommand({ Name: "editor", LaunchPath: "/opt/editor" }));
    const d = await cli(url(), ["-f", file, "-o", "json", "drift"]);
    expect(d.code, d.stderr).toBe(2);
    const report = JSON.parse(d.stdout) as DriftReport;
    expect(report.changed.map((i) => [i.address, i.diff.map((x) => [x.path, x.before, x.after])])).toEqual([
      ["Application/editor", [["launchPath", "/usr/bin/editor", "/opt/editor"]]],
    ]);

    const out = await cli(url(), ["export", "--adopt"]);
    expect(out.code, out.stderr).toBe(0);
    const doc = parse(out.stdout) as { applications: Record<string, unknown>[] };
    expect(doc.applications).toEqual([{
      name: "editor", displayName: "Editor", iconS3Location: { s3Bucket: "icons", s3Key: "editor.png" }, launchPath: "/opt/editor",
      launchParameters: "--new", workingDirectory: "/tmp", instanceFamilies: ["GENERAL_PURPOSE"], platforms: ["AMAZON_LINUX2"],
      appBlock: "editor-block", fleets: ["elastic"],
    }]);
    const exported = writeManifest(out.stdout);
    writeFileSync(exported, out.stdout);
    expect(changesOf(await planOf(url(), exported))).toEqual({});
  });
});
