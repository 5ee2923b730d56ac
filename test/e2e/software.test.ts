/**
 * License-included software on image builders end to end, through the CLI against the emulator: a
 * builder's `softwares` is associated and deployed after the builder runs, a change associates and
 * disassociates only the difference and deploys once, a stopped builder keeps its change staged until it
 * runs, a failed deployment fails the apply and the next apply deploys it again, drift reports software
 * changed out of band, export writes it back, and a builder that leaves `softwares` out is not read for it.
 */
import { AssociateSoftwareToImageBuilderCommand, DescribeImageBuildersCommand, DescribeSoftwareAssociationsCommand } from "@aws-sdk/client-appstream";
import { beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { calls, clientOf, control, useEmulator } from "../emulator/helpers.js";
import { apply, changesOf, mutations, planOf } from "./apply-helpers.js";
import { cli, fakeAwsCredentials, writeManifest } from "./helpers.js";
import { applyLog } from "./issue6-helpers.js";

beforeAll(fakeAwsCredentials);

const WINDOWS = "AppStream-WinServer2022-11-12-2025";
const OFFICE = "Microsoft_Office_2021_LTSC_Professional_Plus_64Bit";
const VISIO = "Microsoft_Visio_2021_LTSC_Professional_64Bit";
const PROJECT = "Microsoft_Project_2021_Professional_64Bit";

const builder = (fields: string, image = WINDOWS) => writeManifest(`apiVersion: appstreamctl/v1
metadata: { name: software }
imageBuilders:
  - name: ib
    imageName: ${image}
    instanceType: stream.standard.medium
${fields}`);

describe("image builders' licensed software", () => {
  const emulator = useEmulator({}, { scope: "all" });
  const url = () => emulator().emu.url;
  const installed = async () => {
    const arn = (await clientOf(url()).send(new DescribeImageBuildersCommand({ Names: ["ib"] }))).ImageBuilders?.[0]?.Arn;
    const out = await clientOf(url()).send(new DescribeSoftwareAssociationsCommand({ AssociatedResource: arn }));
    return (out.SoftwareAssociations ?? []).map((a) => [a.SoftwareName, a.Status]);
  };

  it("a new builder with softwares: created, then associated and deployed; then no changes", async () => {
    const file = builder(`    softwares: [${VISIO}, ${OFFICE}]\n`);
    const plan = await planOf(url(), file);
    expect(changesOf(plan)).toEqual({ "ImageBuilder/ib": "create", "ImageBuilderSoftware/ib": "create" });
    expect(plan.steps.filter((s) => s.address === "ImageBuilderSoftware/ib").map((s) => [s.op, s.params])).toEqual([
      ["image-builder-software.associate", { ImageBuilderName: "ib", SoftwareNames: [OFFICE, VISIO] }],
      ["image-builder-software.deploy", { ImageBuilderName: "ib" }],
      ["wait", { kind: "image-builder-software", name: "ib", until: "DEPLOYED" }],
    ]);
    expect(await applyLog(url(), file)).toEqual([
      "CreateImageBuilder ib", "AssociateSoftwareToImageBuilder ib", "StartSoftwareDeploymentToImageBuilder ib",
    ]);
    expect(await installed()).toEqual([[OFFICE, "INSTALLED"], [VISIO, "INSTALLED"]]);
  });

  it("a change associates and disassociates only the difference, then deploys once", async () => {
    const file = builder(`    softwares: [${OFFICE}, ${PROJECT}]\n`);
    const plan = await planOf(url(), file);
    expect(changesOf(plan)).toEqual({ "ImageBuilderSoftware/ib": "update" });
    expect(plan.resourceChanges.find((c) => c.address === "ImageBuilderSoftware/ib")!.diff).toMatchObject([
      { path: "softwares", before: [OFFICE, VISIO], after: [OFFICE, PROJECT] },
    ]);
    expect(await applyLog(url(), file)).toEqual([
      "DisassociateSoftwareFromImageBuilder ib", "AssociateSoftwareToImageBuilder ib", "StartSoftwareDeploymentToImageBuilder ib",
    ]);
    expect(await installed()).toEqual([[OFFICE, "INSTALLED"], [PROJECT, "INSTALLED"]]);
  });

  it("left out of the builder, softwares is not managed and not read (no DescribeSoftwareAssociations)", async () => {
    await control(url(), "DELETE", "calls");
    expect(changesOf(await planOf(url(), builder("")))).toEqual({});
    expect((await calls(url())).map((c) => c.operation)).not.toContain("DescribeSoftwareAssociations");
    expect(await installed()).toEqual([[OFFICE, "INSTALLED"], [PROJECT, "INSTALLED"]]);
  });

  it("drift reports software associated out of band on the builder's softwares; plan takes it back", async () => {
    await clientOf(url()).send(new AssociateSoftwareToImageBuilderCommand({ ImageBuilderName: "ib", SoftwareNames: [VISIO] }));
    const file = builder(`    softwares: [${OFFICE}, ${PROJECT}]\n`);
    const r = await cli(url(), ["-f", file, "-o", "json", "drift"]);
    expect(r.code, r.stderr).toBe(2);
    const report = JSON.parse(r.stdout) as { changed: { address: string; diff: { path: string; before?: unknown; after?: unknown }[] }[] };
    expect(report.changed.map((c) => [c.address, c.diff.map((d) => [d.path, d.before, d.after])])).toEqual([
      ["ImageBuilder/ib", [["softwares", [OFFICE, PROJECT], [OFFICE, PROJECT, VISIO]]]],
    ]);
    // A change of the association is always deployed (here: nothing to install, the staged one just goes).
    expect(await applyLog(url(), file)).toEqual(["DisassociateSoftwareFromImageBuilder ib", "StartSoftwareDeploymentToImageBuilder ib"]);
    expect(await installed()).toEqual([[OFFICE, "INSTALLED"], [PROJECT, "INSTALLED"]]);
  });

  it("export writes softwares on the builder, and the export plans no change", async () => {
    const r = await cli(url(), ["export"]);
    expect(r.code, r.stderr).toBe(0);
    const doc = parse(r.stdout) as { imageBuilders: { name: string; softwares?: string[] }[] };
    expect(doc.imageBuilders.find((b) => b.name === "ib")?.softwares).toEqual([OFFICE, PROJECT]);
    const exported = writeManifest(r.stdout);
    await control(url(), "DELETE", "calls");
    expect(changesOf(await planOf(url(), exported))).toEqual({});
    expect(await mutations(url())).toEqual([]);
  });

  it("on a builder declared stopped the change is only staged; the apply that runs it again deploys it", async () => {
    const stopped = builder(`    state: stopped\n    softwares: [${OFFICE}]\n`);
    expect(await applyLog(url(), stopped)).toEqual(["StopImageBuilder ib", "DisassociateSoftwareFromImageBuilder ib"]);
    expect(await installed()).toEqual([[OFFICE, "INSTALLED"], [PROJECT, "STAGED_FOR_UNINSTALLATION"]]);
    const running = builder(`    softwares: [${OFFICE}]\n`);
    const plan = await planOf(url(), running);
    expect(changesOf(plan)).toEqual({ "ImageBuilder/ib": "update", "ImageBuilderSoftware/ib": "update" });
    expect(plan.resourceChanges.find((c) => c.address === "ImageBuilderSoftware/ib")!.diff).toMatchObject([{ path: "deployment", before: "STAGED", after: "DEPLOYED" }]);
    expect(await applyLog(url(), running)).toEqual(["StartImageBuilder ib", "StartSoftwareDeploymentToImageBuilder ib"]);
    expect(await installed()).toEqual([[OFFICE, "INSTALLED"]]);
    const r = await cli(url(), ["-f", running, "plan"]);
    expect(r.stdout).toContain("No changes");
  });

  it("a failed deployment fails the apply with the service's error; the next apply deploys it again (RetryFailedDeployments)", async () => {
    const file = builder(`    softwares: [${OFFICE}, ${VISIO}]\n`);
    await control(url(), "POST", "faults", { spec: "StartSoftwareDeploymentToImageBuilder:softwareFail=every1" });
    await control(url(), "DELETE", "calls");
    const failed = await apply(url(), file);
    await control(url(), "POST", "faults", { spec: "" });
    expect(failed.code).not.toBe(0);
    expect(failed.stdout + failed.stderr).toContain("software deployment to image builder ib FAILED");
    expect(await mutations(url())).toEqual(["AssociateSoftwareToImageBuilder ib", "StartSoftwareDeploymentToImageBuilder ib"]);
    expect(await installed()).toEqual([[OFFICE, "INSTALLED"], [VISIO, "FAILED_TO_INSTALL"]]);
    const plan = await planOf(url(), file);
    expect(plan.steps.filter((s) => s.address === "ImageBuilderSoftware/ib").map((s) => [s.op, s.params])).toEqual([
      ["image-builder-software.deploy", { ImageBuilderName: "ib", RetryFailedDeployments: true }],
      ["wait", { kind: "image-builder-software", name: "ib", until: "DEPLOYED" }],
    ]);
    expect(await applyLog(url(), file)).toEqual(["StartSoftwareDeploymentToImageBuilder ib"]);
    expect(await installed()).toEqual([[OFFICE, "INSTALLED"], [VISIO, "INSTALLED"]]);
  });

  it("softwares: [] removes every application", async () => {
    expect(await applyLog(url(), builder("    softwares: []\n"))).toEqual([
      "DisassociateSoftwareFromImageBuilder ib", "StartSoftwareDeploymentToImageBuilder ib",
    ]);
    expect(await installed()).toEqual([]);
  });

  it("validation: softwares on a Linux builder is an error; an unknown name a warning with the nearest known one", async () => {
    const linux = await cli(url(), ["-f", builder(`    softwares: [${OFFICE}]\n`, "AppStream-AmazonLinux2-11-12-2025"), "validate"]);
    expect(linux.code).toBe(1);
    expect(linux.stdout + linux.stderr).toContain("rule.software-platform");
    const typo = await cli(url(), ["-f", builder("    softwares: [Microsoft_Office_2021_LTSC_Professional_Plus_64bit]\n"), "validate"]);
    expect(typo.code, typo.stderr).toBe(0);
    expect(typo.stdout + typo.stderr).toContain(`did you mean ${OFFICE}?`);
  });
});
