import { expect, test } from "vitest";
import { conformanceProblems } from "./conformance.js";
import { control, fleetInput, rawCall, useEmulator } from "./helpers.js";

const emu = useEmulator({ pageSize: 2 }, { scope: "all" });

/** Sends a raw call, asserts success and returns the parsed body. */
async function call(operation: string, input: unknown): Promise<unknown> {
  const res = await rawCall(emu().emu.url, `PhotonAdminProxyService.${operation}`, JSON.stringify(input));
  expect(res.status, `${operation}: ${res.text}`).toBe(200);
  return JSON.parse(res.text);
}

test("PROTO-10 theme, export-task, licensed-software, streaming-URL and drained-session responses conform to the SDK's output schemas", async () => {
  const url = emu().emu.url;
  const responses: [string, unknown][] = [];
  const record = async (operation: string, input: unknown) => responses.push([operation, await call(operation, input)]);
  await record("CreateStack", { Name: "ts" });
  const logo = { S3Bucket: "brand", S3Key: "logo.png" };
  await record("CreateThemeForStack", {
    StackName: "ts", TitleText: "T", ThemeStyling: "RED", OrganizationLogoS3Location: logo, FaviconS3Location: logo,
    FooterLinks: [{ DisplayName: "Help", FooterLinkURL: "https://help.example.com" }],
  });
  await record("UpdateThemeForStack", { StackName: "ts", State: "DISABLED" });
  await record("DescribeThemeForStack", { StackName: "ts" });
  await record("DeleteThemeForStack", { StackName: "ts" });
  await record("CreateImageBuilder", { Name: "tb", InstanceType: "stream.standard.medium", ImageName: "AppStream-WinServer2022-11-12-2025" });
  expect((await control(url, "POST", "images", { builderName: "tb", imageName: "ti" })).status).toBe(200);
  await record("CreateExportImageTask", { ImageName: "ti", AmiName: "ti-ami", IamRoleArn: "arn:aws:iam::123456789012:role/r", TagSpecifications: { a: "1" } });
  await record("ListExportImageTasks", { Filters: [{ Name: "State", Values: ["COMPLETED"] }] });
  await record("StartImageBuilder", { Name: "tb" });
  await record("AssociateSoftwareToImageBuilder", { ImageBuilderName: "tb", SoftwareNames: ["Microsoft_Visio_2021_LTSC_Standard_32Bit"] });
  await record("DescribeSoftwareAssociations", { AssociatedResource: "arn:aws:appstream:us-east-1:123456789012:image-builder/tb" });
  await record("StartSoftwareDeploymentToImageBuilder", { ImageBuilderName: "tb" });
  await record("DisassociateSoftwareFromImageBuilder", { ImageBuilderName: "tb", SoftwareNames: ["Microsoft_Visio_2021_LTSC_Standard_32Bit"] });
  await record("DescribeAppLicenseUsage", { BillingPeriod: "2026-01" });
  await record("CreateFleet", fleetInput("tf", { MaxSessionsPerInstance: 2, ComputeCapacity: { DesiredSessions: 2 } }));
  await record("AssociateFleet", { StackName: "ts", FleetName: "tf" });
  await record("StartFleet", { Name: "tf" });
  await record("CreateStreamingURL", { StackName: "ts", FleetName: "tf", UserId: "alice" });
  const [id] = (await control(url, "POST", "sessions", { stackName: "ts", fleetName: "tf", count: 1 })).body.sessions;
  await record("DrainSessionInstance", { SessionId: id });
  await record("DescribeSessions", { StackName: "ts", FleetName: "tf" });
  await record("DescribeFleets", { Names: ["tf"] });
  const [, exported] = responses.find(([op]) => op === "CreateExportImageTask")!;
  await record("GetExportImageTask", { TaskId: (exported as { ExportImageTask: { TaskId: string } }).ExportImageTask.TaskId });
  const problems = responses.flatMap(([operation, body]) => conformanceProblems(operation, body));
  expect(problems).toEqual([]);
});
