import { expect, test } from "vitest";
import { conformanceProblems } from "./conformance.js";
import { control, elasticInput, fleetInput, rawCall, useEmulator } from "./helpers.js";

const emulator = useEmulator({ pageSize: 2 }, { scope: "all" });

const T = "PhotonAdminProxyService.";

/** Sends a raw call, asserts success and returns the parsed body. */
async function call(operation: string, input: unknown): Promise<unknown> {
  const res = await rawCall(emulator().emu.url, `${T}${operation}`, JSON.stringify(input));
  expect(res.status, `${operation}: ${res.text}`).toBe(200);
  return JSON.parse(res.text);
}

test("PROTO-10 fleet, stack, association, tag, session and usage-report responses conform to the SDK's output schemas", async () => {
  const fullStack = {
    Name: "cs",
    Description: "d",
    DisplayName: "D",
    StorageConnectors: [{ ConnectorType: "ONE_DRIVE", Domains: ["example.com"], DomainsRequireAdminConsent: ["example.com"] }],
    RedirectURL: "https://example.com",
    FeedbackURL: "https://example.com/f",
    UserSettings: [{ Action: "CLIPBOARD_COPY_TO_LOCAL_DEVICE", Permission: "ENABLED", MaximumLength: 100 }],
    ApplicationSettings: { Enabled: true, SettingsGroup: "g" },
    AccessEndpoints: [{ EndpointType: "STREAMING", VpceId: "vpce-1" }],
    EmbedHostDomains: ["example.com"],
    StreamingExperienceSettings: { PreferredProtocol: "TCP" },
    ContentRedirection: { HostToClient: { Enabled: true, AllowedUrls: ["https://example.com"], DeniedUrls: ["*"] } },
    AgentAccessConfig: { Settings: [{ AgentAction: "COMPUTER_VISION", Permission: "ENABLED" }], ScreenResolution: "W_1280xH_720", ScreenImageFormat: "PNG" },
    Tags: { a: "1" },
  };
  const fullFleet = fleetInput("cf", {
    DisplayName: "F",
    Description: "d",
    VpcConfig: { SubnetIds: ["s-1"], SecurityGroupIds: ["sg-1"] },
    DomainJoinInfo: { DirectoryName: "corp.example.com", OrganizationalUnitDistinguishedName: "OU=a" },
    IamRoleArn: "arn:aws:iam::123456789012:role/r",
    UsbDeviceFilterStrings: ["Wacom,Tablet,*,*,*,*,0,0"],
    MaxSessionsPerInstance: 2,
    ComputeCapacity: { DesiredSessions: 4 },
    RootVolumeConfig: { VolumeSizeInGb: 300 },
    DisableIMDSV1: true,
    Tags: { a: "1" },
  });
  const responses: [string, unknown][] = [];
  const record = async (operation: string, input: unknown) => responses.push([operation, await call(operation, input)]);
  await record("CreateFleet", fullFleet);
  await record("CreateFleet", elasticInput("ce", { SessionScriptS3Location: { S3Bucket: "scripts-bucket", S3Key: "k" } }));
  await record("CreateStack", fullStack);
  await record("UpdateStack", { Name: "cs", DisplayName: "E" });
  await record("AssociateFleet", { StackName: "cs", FleetName: "cf" });
  await record("StartFleet", { Name: "cf" });
  await record("StartFleet", { Name: "ce" });
  await record("UpdateFleet", { Name: "cf", DisplayName: "G" });
  await control(emulator().emu.url, "POST", "sessions", { stackName: "cs", fleetName: "cf", count: 3 });
  await record("DescribeFleets", {});
  await record("DescribeStacks", { Names: ["cs"] });
  await record("DescribeSessions", { StackName: "cs", FleetName: "cf" });
  await record("ListAssociatedFleets", { StackName: "cs" });
  await record("ListAssociatedStacks", { FleetName: "cf" });
  await record("ListTagsForResource", { ResourceArn: "arn:aws:appstream:us-east-1:123456789012:fleet/cf" });
  await record("TagResource", { ResourceArn: "arn:aws:appstream:us-east-1:123456789012:stack/cs", Tags: { b: "2" } });
  await record("UntagResource", { ResourceArn: "arn:aws:appstream:us-east-1:123456789012:stack/cs", TagKeys: ["b"] });
  await record("CreateUsageReportSubscription", {});
  await record("DescribeUsageReportSubscriptions", {});
  await record("StopFleet", { Name: "ce" });
  await record("ExpireSession", { SessionId: "nope" });
  const problems = responses.flatMap(([operation, body]) => conformanceProblems(operation, body));
  expect(problems).toEqual([]);
});

test("PROTO-10 image, image-builder, user and directory-config responses conform too", async () => {
  const responses: [string, unknown][] = [];
  const record = async (operation: string, input: unknown) => responses.push([operation, await call(operation, input)]);
  await record("CreateDirectoryConfig", {
    DirectoryName: "corp.example.com",
    OrganizationalUnitDistinguishedNames: ["OU=a"],
    ServiceAccountCredentials: { AccountName: "CORP\\svc", AccountPassword: "secret-pw" },
  });
  await record("DescribeDirectoryConfigs", {});
  await record("CreateImageBuilder", { Name: "cib", InstanceType: "stream.standard.medium", ImageName: "AppStream-WinServer2022-11-12-2025" });
  await record("DescribeImageBuilders", { Names: ["cib"] });
  await record("DescribeImages", { Type: "PUBLIC", MaxResults: 25 });
  await record("CreateUser", { UserName: "conf@example.com", AuthenticationType: "USERPOOL", FirstName: "Con", LastName: "Form" });
  await record("DescribeUsers", { AuthenticationType: "USERPOOL" });
  await record("CreateStack", { Name: "cs2" });
  await record("BatchAssociateUserStack", {
    UserStackAssociations: [
      { StackName: "cs2", UserName: "conf@example.com", AuthenticationType: "USERPOOL" },
      { StackName: "ghost", UserName: "conf@example.com", AuthenticationType: "USERPOOL" },
    ],
  });
  await record("DescribeUserStackAssociations", { StackName: "cs2" });
  const problems = responses.flatMap(([operation, body]) => conformanceProblems(operation, body));
  expect(problems).toEqual([]);
});

test("PROTO-10 the checker reports unknown members, wrong types and nulls", () => {
  expect(conformanceProblems("DescribeFleets", { Fleets: [{ Name: "x", Bogus: 1, CreatedTime: "yesterday", ComputeCapacityStatus: { Desired: null } }] })).toEqual([
    "DescribeFleets.Fleets[0].Bogus: not a member of Fleet",
    "DescribeFleets.Fleets[0].CreatedTime: expected number, got \"yesterday\"",
    "DescribeFleets.Fleets[0].ComputeCapacityStatus.Desired: null",
  ]);
  expect(conformanceProblems("NoSuchOperation", {})).toEqual(["NoSuchOperation: no operation schema in the SDK"]);
});
