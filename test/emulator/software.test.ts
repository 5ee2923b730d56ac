import {
  AssociateSoftwareToImageBuilderCommand,
  CreateImageBuilderCommand,
  DeleteImageBuilderCommand,
  DescribeAppLicenseUsageCommand,
  DescribeImageBuildersCommand,
  DescribeSoftwareAssociationsCommand,
  DisassociateSoftwareFromImageBuilderCommand,
  StartSoftwareDeploymentToImageBuilderCommand,
  StopImageBuilderCommand,
} from "@aws-sdk/client-appstream";
import { describe, expect, test } from "vitest";
import { control, errorOf, useEmulator, type TestEmulator } from "./helpers.js";

const WINDOWS = "AppStream-WinServer2022-11-12-2025";
const LINUX = "AppStream-AmazonLinux2-11-12-2025";
const OFFICE = "Microsoft_Office_2024_LTSC_Professional_Plus_64Bit";
const VISIO = "Microsoft_Visio_2024_LTSC_Professional_64Bit";
const PROJECT = "Microsoft_Project_2024_Professional_64Bit";
const ARN = "arn:aws:appstream:us-east-1:123456789012:image-builder/b";

async function builder(t: TestEmulator, name = "b", image = WINDOWS): Promise<void> {
  await t.client.send(new CreateImageBuilderCommand({ Name: name, InstanceType: "stream.standard.small", ImageName: image }));
  await control(t.emu.url, "POST", "clock", { advanceSeconds: 60 });
}

/** Every association of the builder as `name: status`, following NextToken. */
async function statuses(t: TestEmulator, arn = ARN, MaxResults?: number): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  let NextToken: string | undefined;
  do {
    const page = await t.client.send(new DescribeSoftwareAssociationsCommand({ AssociatedResource: arn, NextToken, MaxResults }));
    expect(page.AssociatedResource).toBe(arn);
    for (const a of page.SoftwareAssociations ?? []) out[a.SoftwareName!] = a.Status!;
    NextToken = page.NextToken;
  } while (NextToken);
  return out;
}

const associate = (t: TestEmulator, names: string[], ImageBuilderName = "b") =>
  t.client.send(new AssociateSoftwareToImageBuilderCommand({ ImageBuilderName, SoftwareNames: names }));
const disassociate = (t: TestEmulator, names: string[], ImageBuilderName = "b") =>
  t.client.send(new DisassociateSoftwareFromImageBuilderCommand({ ImageBuilderName, SoftwareNames: names }));
const deploy = (t: TestEmulator, RetryFailedDeployments?: boolean) =>
  t.client.send(new StartSoftwareDeploymentToImageBuilderCommand({ ImageBuilderName: "b", RetryFailedDeployments }));
const advance = (t: TestEmulator, s = 10) => control(t.emu.url, "POST", "clock", { advanceSeconds: s });

describe("licensed software on image builders (time-scaled)", () => {
  const emu = useEmulator({ timeScale: 1, pageSize: 2 }, { setUp: (t) => builder(t) });

  test("SOFT-01 Associate stages installs, listed sorted by name over pages; re-associating changes nothing", async () => {
    const t = emu();
    await associate(t, [VISIO, OFFICE, PROJECT]);
    await associate(t, [OFFICE]);
    const first = await t.client.send(new DescribeSoftwareAssociationsCommand({ AssociatedResource: ARN }));
    expect(first.SoftwareAssociations).toEqual([
      { SoftwareName: OFFICE, Status: "STAGED_FOR_INSTALLATION" },
      { SoftwareName: PROJECT, Status: "STAGED_FOR_INSTALLATION" },
    ]);
    expect(first.NextToken).toBeDefined();
    expect(await statuses(t)).toEqual({ [OFFICE]: "STAGED_FOR_INSTALLATION", [PROJECT]: "STAGED_FOR_INSTALLATION", [VISIO]: "STAGED_FOR_INSTALLATION" });
    expect(Object.keys(await statuses(t, ARN, 3))).toHaveLength(3);
  });

  test("SOFT-06 a deployment goes PENDING_INSTALLATION → INSTALLED, and an uninstall PENDING_UNINSTALLATION → gone", async () => {
    const t = emu();
    await associate(t, [OFFICE, VISIO]);
    await deploy(t);
    expect(await statuses(t)).toEqual({ [OFFICE]: "PENDING_INSTALLATION", [VISIO]: "PENDING_INSTALLATION" });
    await advance(t);
    expect(await statuses(t)).toEqual({ [OFFICE]: "INSTALLED", [VISIO]: "INSTALLED" });
    await disassociate(t, [VISIO]);
    expect(await statuses(t)).toEqual({ [OFFICE]: "INSTALLED", [VISIO]: "STAGED_FOR_UNINSTALLATION" });
    await deploy(t);
    expect(await statuses(t)).toEqual({ [OFFICE]: "INSTALLED", [VISIO]: "PENDING_UNINSTALLATION" });
    await advance(t);
    expect(await statuses(t)).toEqual({ [OFFICE]: "INSTALLED" });
  });

  test("SOFT-05 while a deployment is under way, Associate, Disassociate and Start → ConcurrentModificationException", async () => {
    const t = emu();
    await associate(t, [OFFICE]);
    await deploy(t);
    expect((await errorOf(() => associate(t, [VISIO]))).name).toBe("ConcurrentModificationException");
    expect((await errorOf(() => disassociate(t, [OFFICE]))).name).toBe("ConcurrentModificationException");
    expect((await errorOf(() => deploy(t))).name).toBe("ConcurrentModificationException");
  });

  test("SOFT-08 CreateImageBuilder SoftwaresToInstall installs while the builder starts; bad names or a Linux image create nothing", async () => {
    const t = emu();
    const create = (Name: string, ImageName: string, SoftwaresToInstall: string[]) =>
      t.client.send(new CreateImageBuilderCommand({ Name, InstanceType: "stream.standard.small", ImageName, SoftwaresToInstall }));
    await create("w", WINDOWS, [OFFICE, PROJECT]);
    const arn = "arn:aws:appstream:us-east-1:123456789012:image-builder/w";
    expect(await statuses(t, arn)).toEqual({ [OFFICE]: "PENDING_INSTALLATION", [PROJECT]: "PENDING_INSTALLATION" });
    await advance(t);
    expect(await statuses(t, arn)).toEqual({ [OFFICE]: "INSTALLED", [PROJECT]: "INSTALLED" });
    expect((await errorOf(() => create("x", WINDOWS, ["Paint"]))).name).toBe("InvalidParameterCombinationException");
    expect((await errorOf(() => create("y", LINUX, [OFFICE]))).name).toBe("IncompatibleImageException");
    const names = (await t.client.send(new DescribeImageBuildersCommand({}))).ImageBuilders!.map((b) => b.Name).sort();
    expect(names).toEqual(["b", "w"]);
  });

  test("SOFT-05 a PENDING builder takes no software changes (OperationNotPermittedException)", async () => {
    const t = emu();
    await t.client.send(new CreateImageBuilderCommand({ Name: "p", InstanceType: "stream.standard.small", ImageName: WINDOWS }));
    expect((await errorOf(() => associate(t, [OFFICE], "p"))).name).toBe("OperationNotPermittedException");
    expect((await errorOf(() => disassociate(t, [OFFICE], "p"))).name).toBe("OperationNotPermittedException");
    const start = await errorOf(() => t.client.send(new StartSoftwareDeploymentToImageBuilderCommand({ ImageBuilderName: "p" })));
    expect(start.name).toBe("OperationNotPermittedException");
  });

  test("SOFT-06 FAULT-12 softwareFail ends installs FAILED_TO_INSTALL with a DeploymentError; only RetryFailedDeployments retries them", async () => {
    const t = emu();
    await associate(t, [OFFICE]);
    await control(t.emu.url, "POST", "faults", { spec: "StartSoftwareDeploymentToImageBuilder:softwareFail=every1" });
    await deploy(t);
    await advance(t);
    const out = await t.client.send(new DescribeSoftwareAssociationsCommand({ AssociatedResource: ARN }));
    expect(out.SoftwareAssociations).toEqual([
      {
        SoftwareName: OFFICE,
        Status: "FAILED_TO_INSTALL",
        DeploymentError: [{ ErrorCode: "FAILED_TO_INSTALL", ErrorMessage: `The deployment of ${OFFICE} to the image builder b failed.` }],
      },
    ]);
    await control(t.emu.url, "POST", "faults", { spec: "" });
    await deploy(t);
    await advance(t);
    expect(await statuses(t)).toEqual({ [OFFICE]: "FAILED_TO_INSTALL" });
    await deploy(t, true);
    expect(await statuses(t)).toEqual({ [OFFICE]: "PENDING_INSTALLATION" });
    await advance(t);
    expect(await statuses(t)).toEqual({ [OFFICE]: "INSTALLED" });
    // An uninstall that fails stays associated as FAILED_TO_UNINSTALL; a retry removes it.
    await disassociate(t, [OFFICE]);
    await control(t.emu.url, "POST", "faults", { spec: "softwareFail=1" });
    await deploy(t);
    await advance(t);
    expect(await statuses(t)).toEqual({ [OFFICE]: "FAILED_TO_UNINSTALL" });
    await control(t.emu.url, "POST", "faults", { spec: "" });
    await deploy(t, true);
    await advance(t);
    expect(await statuses(t)).toEqual({});
  });
});

describe("licensed software on image builders", () => {
  const emu = useEmulator({}, { setUp: (t) => builder(t) });

  test("SOFT-02 unknown names, non-Windows builders and unknown builders are refused", async () => {
    const t = emu();
    expect((await errorOf(() => associate(t, [OFFICE, "Notepad_Plus_Plus"]))).name).toBe("InvalidParameterCombinationException");
    expect(await statuses(t)).toEqual({});
    await builder(t, "linux", LINUX);
    expect((await errorOf(() => associate(t, [OFFICE], "linux"))).name).toBe("IncompatibleImageException");
    expect((await errorOf(() => associate(t, [OFFICE], "ghost"))).name).toBe("ResourceNotFoundException");
    expect((await errorOf(() => disassociate(t, [OFFICE], "ghost"))).name).toBe("ResourceNotFoundException");
    const start = await errorOf(() => t.client.send(new StartSoftwareDeploymentToImageBuilderCommand({ ImageBuilderName: "ghost" })));
    expect(start.name).toBe("ResourceNotFoundException");
  });

  test("SOFT-03 Disassociate drops never-installed software at once, stages installed software, refuses what is not associated", async () => {
    const t = emu();
    await associate(t, [OFFICE]);
    await deploy(t);
    await associate(t, [VISIO]);
    expect(await statuses(t)).toEqual({ [OFFICE]: "INSTALLED", [VISIO]: "STAGED_FOR_INSTALLATION" });
    await disassociate(t, [OFFICE, VISIO]);
    expect(await statuses(t)).toEqual({ [OFFICE]: "STAGED_FOR_UNINSTALLATION" });
    // SOFT-01: associating again cancels the staged uninstall.
    await associate(t, [OFFICE]);
    expect(await statuses(t)).toEqual({ [OFFICE]: "INSTALLED" });
    expect((await errorOf(() => disassociate(t, [PROJECT]))).name).toBe("InvalidParameterCombinationException");
  });

  test("SOFT-04 an own image lists no associations; an unknown or foreign ARN → ResourceNotFoundException", async () => {
    const t = emu();
    const img = await control(t.emu.url, "POST", "images", { builderName: "b", imageName: "img" });
    expect(img.status).toBe(200);
    expect(await statuses(t, img.body.image.Arn)).toEqual({});
    for (const arn of [
      "arn:aws:appstream:us-east-1:123456789012:image-builder/ghost",
      "arn:aws:appstream:us-east-1::image/AppStream-WinServer2022-11-12-2025",
      "arn:aws:appstream:us-east-1:123456789012:fleet/f",
      "arn:aws:appstream:eu-west-1:123456789012:image-builder/b",
    ]) {
      const err = await errorOf(() => t.client.send(new DescribeSoftwareAssociationsCommand({ AssociatedResource: arn })));
      expect(err.name, arn).toBe("ResourceNotFoundException");
    }
  });

  test("SOFT-05 Associate/Disassociate need RUNNING or STOPPED, a deployment RUNNING (else OperationNotPermittedException)", async () => {
    const t = emu();
    await t.client.send(new StopImageBuilderCommand({ Name: "b" }));
    await associate(t, [OFFICE]);
    expect((await errorOf(() => deploy(t))).name).toBe("OperationNotPermittedException");
    await disassociate(t, [OFFICE]);
    expect(await statuses(t)).toEqual({});
  });

  test("SOFT-07 a deleted builder's associations are gone: a new builder of the same name starts with none", async () => {
    const t = emu();
    await associate(t, [OFFICE]);
    await t.client.send(new StopImageBuilderCommand({ Name: "b" }));
    await t.client.send(new DeleteImageBuilderCommand({ Name: "b" }));
    await advance(t, 1);
    await builder(t);
    expect(await statuses(t)).toEqual({});
  });

  test("LICUSE-01 DescribeAppLicenseUsage is empty for a yyyy-mm BillingPeriod; another form → ValidationException", async () => {
    const t = emu();
    const out = await t.client.send(new DescribeAppLicenseUsageCommand({ BillingPeriod: "2026-11" }));
    expect(out.AppLicenseUsages).toEqual([]);
    expect(out.NextToken).toBeUndefined();
    for (const bad of ["2026-13", "202611", "Nov 2026"]) {
      const err = await errorOf(() => t.client.send(new DescribeAppLicenseUsageCommand({ BillingPeriod: bad })));
      expect(err.name, bad).toBe("ValidationException");
    }
  });
});
