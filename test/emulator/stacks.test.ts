import {
  AssociateFleetCommand,
  CreateFleetCommand,
  CreateStackCommand,
  DeleteStackCommand,
  DescribeStacksCommand,
  DisassociateFleetCommand,
  ListTagsForResourceCommand,
  UpdateStackCommand,
  type Stack,
} from "@aws-sdk/client-appstream";
import { describe, expect, test } from "vitest";
import { errorOf, fleetInput, useEmulator } from "./helpers.js";

const emulator = useEmulator({});

async function create(input: Record<string, unknown>): Promise<Stack> {
  return (await emulator().client.send(new CreateStackCommand(input as never))).Stack!;
}
async function update(input: Record<string, unknown>): Promise<Stack> {
  return (await emulator().client.send(new UpdateStackCommand(input as never))).Stack!;
}
async function describeOne(name: string): Promise<Stack> {
  return (await emulator().client.send(new DescribeStacksCommand({ Names: [name] }))).Stacks![0]!;
}

const DEFAULT_SETTINGS = [
  { Action: "CLIPBOARD_COPY_FROM_LOCAL_DEVICE", Permission: "ENABLED" },
  { Action: "CLIPBOARD_COPY_TO_LOCAL_DEVICE", Permission: "ENABLED" },
  { Action: "FILE_UPLOAD", Permission: "ENABLED" },
  { Action: "FILE_DOWNLOAD", Permission: "ENABLED" },
  { Action: "PRINTING_TO_LOCAL_DEVICE", Permission: "ENABLED" },
  { Action: "DOMAIN_PASSWORD_SIGNIN", Permission: "ENABLED" },
  { Action: "DOMAIN_SMART_CARD_SIGNIN", Permission: "ENABLED" },
  { Action: "AUTO_TIME_ZONE_REDIRECTION", Permission: "DISABLED" },
];

const FULL = {
  Description: "d",
  DisplayName: "Full",
  StorageConnectors: [{ ConnectorType: "HOMEFOLDERS" }, { ConnectorType: "ONE_DRIVE", Domains: ["example.com"] }],
  RedirectURL: "https://example.com/bye",
  FeedbackURL: "https://example.com/feedback",
  AccessEndpoints: [{ EndpointType: "STREAMING", VpceId: "vpce-01" }],
  EmbedHostDomains: ["example.com"],
  StreamingExperienceSettings: { PreferredProtocol: "UDP" },
  ContentRedirection: { HostToClient: { Enabled: true, AllowedUrls: ["https://example.com"] } },
};

describe("stacks", () => {
  test("STACK-01 CreateStack echoes every member, ARN and CreatedTime; tags are not echoed", async () => {
    const s = await create({ Name: "full", Tags: { team: "euc" }, ...FULL });
    expect(s.Arn).toBe("arn:aws:appstream:us-east-1:123456789012:stack/full");
    expect(s.CreatedTime).toBeInstanceOf(Date);
    expect(s).toMatchObject(FULL);
    expect(s).not.toHaveProperty("Tags");
    expect(await describeOne("full")).toMatchObject(FULL);
    const tags = await emulator().client.send(new ListTagsForResourceCommand({ ResourceArn: s.Arn }));
    expect(tags.Tags).toEqual({ team: "euc" });
  });

  test("STACK-02 duplicate → ResourceAlreadyExistsException; over the stacks quota → LimitExceededException", async () => {
    await create({ Name: "a" });
    expect((await errorOf(() => create({ Name: "a" }))).name).toBe("ResourceAlreadyExistsException");
    await emulator.restart({ quotas: { stacks: 2 } });
    await create({ Name: "a" });
    await create({ Name: "b" });
    expect((await errorOf(() => create({ Name: "c" }))).name).toBe("LimitExceededException");
  });

  test("STACK-03 user settings: all 8 actions in model order with defaults; set values kept", async () => {
    expect((await create({ Name: "u" })).UserSettings).toEqual(DEFAULT_SETTINGS);
    const s = await create({
      Name: "u2",
      UserSettings: [
        { Action: "FILE_DOWNLOAD", Permission: "DISABLED" },
        { Action: "CLIPBOARD_COPY_TO_LOCAL_DEVICE", Permission: "ENABLED", MaximumLength: 1000 },
      ],
    });
    expect(s.UserSettings).toEqual(
      DEFAULT_SETTINGS.map((d) =>
        d.Action === "FILE_DOWNLOAD"
          ? { ...d, Permission: "DISABLED" }
          : d.Action === "CLIPBOARD_COPY_TO_LOCAL_DEVICE"
            ? { ...d, MaximumLength: 1000 }
            : d,
      ),
    );
  });

  test("STACK-04 UpdateStack UserSettings replaces given actions and keeps others", async () => {
    await create({ Name: "u", UserSettings: [{ Action: "FILE_UPLOAD", Permission: "DISABLED" }] });
    const s = await update({ Name: "u", UserSettings: [{ Action: "PRINTING_TO_LOCAL_DEVICE", Permission: "DISABLED" }] });
    const byAction = Object.fromEntries(s.UserSettings!.map((x) => [x.Action, x.Permission]));
    expect(byAction.FILE_UPLOAD).toBe("DISABLED");
    expect(byAction.PRINTING_TO_LOCAL_DEVICE).toBe("DISABLED");
    expect(byAction.FILE_DOWNLOAD).toBe("ENABLED");
    expect(s.UserSettings).toHaveLength(8);
  });

  test.each([
    ["MaximumLength on FILE_UPLOAD", [{ Action: "FILE_UPLOAD", Permission: "ENABLED", MaximumLength: 5 }]],
    ["MaximumLength on a DISABLED clipboard", [{ Action: "CLIPBOARD_COPY_FROM_LOCAL_DEVICE", Permission: "DISABLED", MaximumLength: 5 }]],
    ["an action twice", [{ Action: "FILE_UPLOAD", Permission: "ENABLED" }, { Action: "FILE_UPLOAD", Permission: "DISABLED" }]],
  ])("STACK-05 %s → InvalidParameterCombinationException", async (_l, settings) => {
    const err = await errorOf(() => create({ Name: "x", UserSettings: settings }));
    expect(err.name).toBe("InvalidParameterCombinationException");
  });

  test("STACK-06 ApplicationSettings gains S3BucketName while Enabled", async () => {
    const s = await create({ Name: "app", ApplicationSettings: { Enabled: true, SettingsGroup: "grp" } });
    expect(s.ApplicationSettings!.Enabled).toBe(true);
    expect(s.ApplicationSettings!.SettingsGroup).toBe("grp");
    expect(s.ApplicationSettings!.S3BucketName).toMatch(/^appstream-app-settings-us-east-1-123456789012-[0-9a-f]{10}$/);
    const other = await create({ Name: "app2", ApplicationSettings: { Enabled: true } });
    expect(other.ApplicationSettings!.S3BucketName).toBe(s.ApplicationSettings!.S3BucketName);
    const off = await update({ Name: "app", ApplicationSettings: { Enabled: false } });
    expect(off.ApplicationSettings).toEqual({ Enabled: false });
    expect((await create({ Name: "none" })).ApplicationSettings).toBeUndefined();
  });

  test("STACK-07 every AttributesToDelete value clears its attribute", async () => {
    await create({
      Name: "del",
      ...FULL,
      StorageConnectors: [{ ConnectorType: "HOMEFOLDERS" }, { ConnectorType: "GOOGLE_DRIVE", Domains: ["example.com"] }, { ConnectorType: "ONE_DRIVE", Domains: ["example.com"] }],
      UserSettings: [{ Action: "FILE_UPLOAD", Permission: "DISABLED" }],
      AgentAccessConfig: {
        Settings: [{ AgentAction: "COMPUTER_VISION", Permission: "ENABLED" }],
        ScreenResolution: "W_1280xH_720",
        ScreenImageFormat: "PNG",
      },
    });
    let s = await update({ Name: "del", AttributesToDelete: ["STORAGE_CONNECTOR_HOMEFOLDERS"] });
    expect(s.StorageConnectors!.map((c) => c.ConnectorType)).toEqual(["GOOGLE_DRIVE", "ONE_DRIVE"]);
    s = await update({ Name: "del", AttributesToDelete: ["STORAGE_CONNECTOR_GOOGLE_DRIVE"] });
    expect(s.StorageConnectors!.map((c) => c.ConnectorType)).toEqual(["ONE_DRIVE"]);
    s = await update({ Name: "del", AttributesToDelete: ["STORAGE_CONNECTOR_ONE_DRIVE"] });
    expect(s).not.toHaveProperty("StorageConnectors");
    s = await update({
      Name: "del",
      AttributesToDelete: [
        "REDIRECT_URL",
        "FEEDBACK_URL",
        "THEME_NAME",
        "USER_SETTINGS",
        "EMBED_HOST_DOMAINS",
        "IAM_ROLE_ARN",
        "ACCESS_ENDPOINTS",
        "STREAMING_EXPERIENCE_SETTINGS",
        "CONTENT_REDIRECTION",
        "AGENT_ACCESS_CONFIG",
      ],
    });
    for (const m of ["RedirectURL", "FeedbackURL", "EmbedHostDomains", "AccessEndpoints", "StreamingExperienceSettings", "ContentRedirection", "AgentAccessConfig"]) {
      expect(s).not.toHaveProperty(m);
    }
    expect(s.UserSettings).toEqual(DEFAULT_SETTINGS);
    expect(s.Description).toBe("d");
    await update({ Name: "del", StorageConnectors: [{ ConnectorType: "HOMEFOLDERS" }] });
    s = await update({ Name: "del", AttributesToDelete: ["STORAGE_CONNECTORS"] });
    expect(s).not.toHaveProperty("StorageConnectors");
    await update({ Name: "del", StorageConnectors: [{ ConnectorType: "HOMEFOLDERS" }] });
    s = await update({ Name: "del", DeleteStorageConnectors: true });
    expect(s).not.toHaveProperty("StorageConnectors");
  });

  test.each([
    ["RedirectURL with REDIRECT_URL", { RedirectURL: "https://x.example.com", AttributesToDelete: ["REDIRECT_URL"] }],
    ["UserSettings with USER_SETTINGS", { UserSettings: [{ Action: "FILE_UPLOAD", Permission: "DISABLED" }], AttributesToDelete: ["USER_SETTINGS"] }],
    ["a HOMEFOLDERS connector with STORAGE_CONNECTOR_HOMEFOLDERS", { StorageConnectors: [{ ConnectorType: "HOMEFOLDERS" }], AttributesToDelete: ["STORAGE_CONNECTOR_HOMEFOLDERS"] }],
    ["StorageConnectors with DeleteStorageConnectors", { StorageConnectors: [{ ConnectorType: "HOMEFOLDERS" }], DeleteStorageConnectors: true }],
  ])("STACK-08 %s → InvalidParameterCombinationException", async (_l, change) => {
    await create({ Name: "c" });
    const err = await errorOf(() => update({ Name: "c", ...change }));
    expect(err.name).toBe("InvalidParameterCombinationException");
  });

  test("STACK-08 deleting one connector type while setting another type is allowed", async () => {
    await create({ Name: "c", StorageConnectors: [{ ConnectorType: "HOMEFOLDERS" }] });
    const s = await update({ Name: "c", StorageConnectors: [{ ConnectorType: "ONE_DRIVE", Domains: ["example.com"] }], AttributesToDelete: ["STORAGE_CONNECTOR_HOMEFOLDERS"] });
    expect(s.StorageConnectors).toEqual([{ ConnectorType: "ONE_DRIVE", Domains: ["example.com"] }]);
  });

  test("STACK-09 UpdateStack keeps members it does not send and replaces those it sends", async () => {
    await create({ Name: "k", ...FULL });
    const s = await update({ Name: "k", DisplayName: "New", StorageConnectors: [{ ConnectorType: "GOOGLE_DRIVE", Domains: ["example.com"] }] });
    expect(s.DisplayName).toBe("New");
    expect(s.Description).toBe("d");
    expect(s.RedirectURL).toBe(FULL.RedirectURL);
    expect(s.StorageConnectors).toEqual([{ ConnectorType: "GOOGLE_DRIVE", Domains: ["example.com"] }]);
  });

  test("STACK-10 DeleteStack with a fleet → ResourceInUse message; after disassociation it cascades", async () => {
    const s = await create({ Name: "ds", Tags: { a: "1" } });
    await emulator().client.send(new CreateFleetCommand(fleetInput("df") as never));
    await emulator().client.send(new AssociateFleetCommand({ StackName: "ds", FleetName: "df" }));
    const err = await errorOf(() => emulator().client.send(new DeleteStackCommand({ Name: "ds" })));
    expect(err.name).toBe("ResourceInUseException");
    expect(err.message).toBe("Cannot delete stack ds. This stack has fleets associated with it. Only stacks with no fleets associated with it can be deleted.");
    // A user association (users area collection) is removed silently with the stack.
    const assoc = emulator().emu.store.table<{ StackName: string; createdAt: number }>("us-east-1", "userStackAssociations");
    assoc["ds|alice@example.com|USERPOOL"] = { StackName: "ds", createdAt: Date.now() };
    assoc["other|bob@example.com|USERPOOL"] = { StackName: "other", createdAt: Date.now() };
    await emulator().client.send(new DisassociateFleetCommand({ StackName: "ds", FleetName: "df" }));
    await emulator().client.send(new DeleteStackCommand({ Name: "ds" }));
    expect((await errorOf(() => describeOne("ds"))).name).toBe("ResourceNotFoundException");
    expect(Object.keys(assoc)).toEqual(["other|bob@example.com|USERPOOL"]);
    expect((await errorOf(() => emulator().client.send(new ListTagsForResourceCommand({ ResourceArn: s.Arn })))).name).toBe("ResourceNotFoundException");
  });

  test("STACK-11 DescribeStacks: name order, server page size, unknown name → RNFE", async () => {
    await emulator.restart({ pageSize: 2 });
    for (const n of ["s3", "s1", "s2"]) await create({ Name: n });
    const p1 = await emulator().client.send(new DescribeStacksCommand({}));
    expect(p1.Stacks!.map((s) => s.Name)).toEqual(["s1", "s2"]);
    const p2 = await emulator().client.send(new DescribeStacksCommand({ NextToken: p1.NextToken }));
    expect(p2.Stacks!.map((s) => s.Name)).toEqual(["s3"]);
    expect(p2.NextToken).toBeUndefined();
    const err = await errorOf(() => emulator().client.send(new DescribeStacksCommand({ Names: ["s1", "ghost"] })));
    expect(err.name).toBe("ResourceNotFoundException");
    expect(err.message).toBe("The stack ghost does not exist.");
  });

  test("STACK-12 UpdateStack/DeleteStack of an unknown stack → ResourceNotFoundException", async () => {
    expect((await errorOf(() => update({ Name: "ghost", DisplayName: "x" }))).name).toBe("ResourceNotFoundException");
    expect((await errorOf(() => emulator().client.send(new DeleteStackCommand({ Name: "ghost" })))).name).toBe("ResourceNotFoundException");
  });
});

describe("agent access", () => {
  const AGENT = {
    Settings: [{ AgentAction: "COMPUTER_VISION", Permission: "ENABLED" }],
    ScreenResolution: "W_1280xH_720",
    ScreenImageFormat: "PNG",
  };

  test("STACK-13 UpdateStack merges a partial AgentAccessConfig into the stored one, member by member", async () => {
    await create({ Name: "agent", AgentAccessConfig: AGENT });
    const s = await update({ Name: "agent", AgentAccessConfig: { ScreenImageFormat: "JPEG", UserControlMode: "VIEW_ONLY" } });
    expect(s.AgentAccessConfig).toEqual({ ...AGENT, ScreenImageFormat: "JPEG", UserControlMode: "VIEW_ONLY" });
    expect((await describeOne("agent")).AgentAccessConfig).toEqual(s.AgentAccessConfig);
  });

  test("STACK-13 a partial AgentAccessConfig for a stack without one → InvalidParameterCombinationException, nothing stored", async () => {
    await create({ Name: "bare" });
    const err = await errorOf(() => update({ Name: "bare", AgentAccessConfig: { ScreenshotsUploadEnabled: false } }));
    expect([err.name, err.message]).toEqual([
      "InvalidParameterCombinationException",
      "AgentAccessConfig needs Settings, ScreenResolution, ScreenImageFormat: the stack has no agent access to update, so give the whole configuration.",
    ]);
    expect(await describeOne("bare")).not.toHaveProperty("AgentAccessConfig");
    const whole = await update({ Name: "bare", AgentAccessConfig: AGENT });
    expect(whole.AgentAccessConfig).toEqual(AGENT);
  });

  test("STACK-13 screenshots need S3BucketArn and COMPUTER_INPUT needs COMPUTER_VISION ENABLED (model documentation)", async () => {
    const noBucket = await errorOf(() => create({ Name: "shots", AgentAccessConfig: { ...AGENT, ScreenshotsUploadEnabled: true } }));
    expect(noBucket.name).toBe("InvalidParameterCombinationException");
    const input = await errorOf(() =>
      create({ Name: "input", AgentAccessConfig: { ...AGENT, Settings: [{ AgentAction: "COMPUTER_INPUT", Permission: "ENABLED" }] } }),
    );
    expect(input.name).toBe("InvalidParameterCombinationException");
    await create({ Name: "ok", AgentAccessConfig: { ...AGENT, ScreenshotsUploadEnabled: true, S3BucketArn: "arn:aws:s3:::shots" } });
    const off = await errorOf(() => update({ Name: "ok", AgentAccessConfig: { Settings: [{ AgentAction: "COMPUTER_INPUT", Permission: "ENABLED" }] } }));
    expect(off.name).toBe("InvalidParameterCombinationException");
    expect((await describeOne("ok")).AgentAccessConfig?.Settings).toEqual(AGENT.Settings);
    const stacks = (await emulator().client.send(new DescribeStacksCommand({}))).Stacks!.map((x) => x.Name);
    expect(stacks).toEqual(["ok"]);
  });

  test("STACK-14 UserControlMode and FORWARD_MCP_TOOLS (SDK only) are accepted and echoed; other values fail the SDK's enums", async () => {
    const s = await create({ Name: "ctl", AgentAccessConfig: { ...AGENT, UserControlMode: "VIEW_STOP" } });
    expect(s.AgentAccessConfig?.UserControlMode).toBe("VIEW_STOP");
    expect((await describeOne("ctl")).AgentAccessConfig).toEqual({ ...AGENT, UserControlMode: "VIEW_STOP" });
    const plain = await create({ Name: "plain", AgentAccessConfig: AGENT });
    expect(plain.AgentAccessConfig).not.toHaveProperty("UserControlMode");
    const mcp = await create({ Name: "mcp", AgentAccessConfig: { ...AGENT, Settings: [{ AgentAction: "FORWARD_MCP_TOOLS", Permission: "ENABLED" }] } });
    expect(mcp.AgentAccessConfig?.Settings).toEqual([{ AgentAction: "FORWARD_MCP_TOOLS", Permission: "ENABLED" }]);
    const bad = await errorOf(() => create({ Name: "bad", AgentAccessConfig: { ...AGENT, UserControlMode: "VIEW_ALL" as never } }));
    expect(bad.name).toBe("ValidationException");
    expect(bad.message).toContain("Member must satisfy enum value set: [DISABLED, VIEW_ONLY, VIEW_STOP]");
  });
});
