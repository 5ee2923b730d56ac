import {
  AssociateApplicationFleetCommand,
  AssociateApplicationToEntitlementCommand,
  CreateEntitlementCommand,
  CreateStackCommand,
  DeleteApplicationCommand,
  DescribeApplicationsCommand,
  DescribeEntitlementsCommand,
  ListEntitledApplicationsCommand,
  DisassociateApplicationFleetCommand,
  DisassociateApplicationFromEntitlementCommand,
  ListTagsForResourceCommand,
  TagResourceCommand,
  UpdateApplicationCommand,
  type Application,
} from "@aws-sdk/client-appstream";
import { describe, expect, test } from "vitest";
import { appBlock, appBlockArn, applicationArn, applicationInput, applicationOnActiveBlock, createApplication, elasticFleet } from "./apps-fixtures.js";
import { conformanceProblems } from "./conformance.js";
import { errorOf, rawCall, useEmulator } from "./helpers.js";
import { allPages } from "./pages.js";

describe("applications", () => {
  const emu = useEmulator({ pageSize: 2 });

  test("APP-01 CreateApplication returns the application with Arn, CreatedTime, Enabled, IconURL and every member sent; Tags are stored, taggable, never echoed, dropped with the application", async () => {
    const t = emu();
    const block = await appBlock(t, "office-block");
    const app = await createApplication(
      t,
      applicationInput("word", block, {
        DisplayName: "Word",
        Description: "word processor",
        WorkingDirectory: "C:\\Users\\Public",
        LaunchParameters: "/safe",
        Platforms: ["WINDOWS_SERVER_2019", "AMAZON_LINUX2"],
        InstanceFamilies: ["GENERAL_PURPOSE", "GRAPHICS_G4"],
        Tags: { team: "office" },
      }),
    );
    expect(app).toEqual({
      Name: "word",
      Arn: applicationArn("word"),
      DisplayName: "Word",
      Description: "word processor",
      IconS3Location: { S3Bucket: "icons", S3Key: "apps/word.png" },
      IconURL: "https://icons.s3.us-east-1.amazonaws.com/apps/word.png",
      LaunchPath: "C:\\Apps\\word\\word.exe",
      WorkingDirectory: "C:\\Users\\Public",
      LaunchParameters: "/safe",
      Platforms: ["WINDOWS_SERVER_2019", "AMAZON_LINUX2"],
      InstanceFamilies: ["GENERAL_PURPOSE", "GRAPHICS_G4"],
      AppBlockArn: block,
      Enabled: true,
      CreatedTime: expect.any(Date),
    });
    const raw = await rawCall(t.emu.url, "PhotonAdminProxyService.DescribeApplications", JSON.stringify({ Arns: [app.Arn] }));
    expect(conformanceProblems("DescribeApplications", JSON.parse(raw.text))).toEqual([]);
    expect(raw.text).not.toContain("office\"");
    expect((await t.client.send(new ListTagsForResourceCommand({ ResourceArn: app.Arn }))).Tags).toEqual({ team: "office" });
    await t.client.send(new TagResourceCommand({ ResourceArn: app.Arn!, Tags: { cost: "42" } }));
    expect((await t.client.send(new ListTagsForResourceCommand({ ResourceArn: app.Arn }))).Tags).toEqual({ team: "office", cost: "42" });
    await t.client.send(new DeleteApplicationCommand({ Name: "word" }));
    expect((await errorOf(() => t.client.send(new ListTagsForResourceCommand({ ResourceArn: app.Arn })))).name).toBe("ResourceNotFoundException");
    await createApplication(t, applicationInput("word", block));
    expect((await t.client.send(new ListTagsForResourceCommand({ ResourceArn: app.Arn }))).Tags).toEqual({});
  });

  test("APP-02 CreateApplication with a name already used → ResourceAlreadyExistsException", async () => {
    const t = emu();
    const block = await appBlock(t, "b");
    await createApplication(t, applicationInput("calc", block));
    const err = await errorOf(() => createApplication(t, applicationInput("calc", block, { LaunchPath: "other.exe" })));
    expect(err.name).toBe("ResourceAlreadyExistsException");
    const [stored] = (await t.client.send(new DescribeApplicationsCommand({ Arns: [applicationArn("calc")] }))).Applications!;
    expect(stored?.LaunchPath).toBe("C:\\Apps\\calc\\calc.exe");
  });

  test("APP-03 an AppBlockArn naming no app block → ResourceNotFoundException on Create and Update; an INACTIVE block is accepted", async () => {
    const t = emu();
    const missing = await errorOf(() => createApplication(t, applicationInput("calc", appBlockArn("nope"))));
    expect([missing.name, missing.message]).toEqual(["ResourceNotFoundException", `The app block ${appBlockArn("nope")} does not exist.`]);
    const otherRegion = await errorOf(() => createApplication(t, applicationInput("calc", "arn:aws:appstream:eu-west-1:123456789012:app-block/b")));
    expect(otherRegion.name).toBe("ResourceNotFoundException");
    const inactive = await appBlock(t, "unpackaged", "APPSTREAM2");
    const app = await createApplication(t, applicationInput("calc", inactive));
    expect(app.AppBlockArn).toBe(inactive);
    const update = await errorOf(() => t.client.send(new UpdateApplicationCommand({ Name: "calc", AppBlockArn: appBlockArn("gone") })));
    expect(update.name).toBe("ResourceNotFoundException");
    const [stored] = (await t.client.send(new DescribeApplicationsCommand({}))).Applications!;
    expect(stored?.AppBlockArn).toBe(inactive);
  });

  test("APP-04 InstanceFamilies empty or outside GENERAL_PURPOSE / GRAPHICS_G4 → ValidationException, nothing created", async () => {
    const t = emu();
    const block = await appBlock(t, "b");
    for (const families of [["GENERAL_PURPOSE", "COMPUTE_OPTIMIZED"], []]) {
      const err = await errorOf(() => createApplication(t, applicationInput("calc", block, { InstanceFamilies: families })));
      expect(err.name).toBe("ValidationException");
    }
    expect((await t.client.send(new DescribeApplicationsCommand({}))).Applications).toEqual([]);
  });

  test("APP-05 UpdateApplication sets what it is given, keeps the rest, AttributesToDelete clears; set-and-delete → OperationNotPermittedException; unknown → ResourceNotFoundException", async () => {
    const t = emu();
    const created = await applicationOnActiveBlock(t, "paint", { DisplayName: "Paint", WorkingDirectory: "C:\\work", LaunchParameters: "-x", Description: "d" });
    const block2 = await appBlock(t, "paint-block-2");
    const updated = (
      await t.client.send(
        new UpdateApplicationCommand({
          Name: "paint",
          DisplayName: "Paint 2",
          LaunchPath: "C:\\Paint\\paint2.exe",
          IconS3Location: { S3Bucket: "icons2", S3Key: "p.png" },
          AppBlockArn: block2,
          AttributesToDelete: ["LAUNCH_PARAMETERS"],
        }),
      )
    ).Application!;
    expect(updated).toEqual({
      ...created,
      DisplayName: "Paint 2",
      LaunchPath: "C:\\Paint\\paint2.exe",
      IconS3Location: { S3Bucket: "icons2", S3Key: "p.png" },
      IconURL: "https://icons2.s3.us-east-1.amazonaws.com/p.png",
      AppBlockArn: block2,
      LaunchParameters: undefined,
    });
    expect(updated).not.toHaveProperty("LaunchParameters");
    const both = await errorOf(() =>
      t.client.send(new UpdateApplicationCommand({ Name: "paint", WorkingDirectory: "D:\\", AttributesToDelete: ["WORKING_DIRECTORY"] })),
    );
    expect(both.name).toBe("OperationNotPermittedException");
    const cleared = (await t.client.send(new UpdateApplicationCommand({ Name: "paint", AttributesToDelete: ["WORKING_DIRECTORY"] }))).Application!;
    expect(cleared.WorkingDirectory).toBeUndefined();
    expect([cleared.Description, cleared.Platforms, cleared.InstanceFamilies, cleared.CreatedTime]).toEqual([
      "d", ["WINDOWS_SERVER_2019"], ["GENERAL_PURPOSE"], created.CreatedTime,
    ]);
    expect((await errorOf(() => t.client.send(new UpdateApplicationCommand({ Name: "nope", DisplayName: "x" })))).name).toBe("ResourceNotFoundException");
  });

  test("APP-06 DescribeApplications lists all sorted by name in pages (MaxResults, else the server page size); with Arns those in order, an unknown ARN → ResourceNotFoundException", async () => {
    const t = emu();
    const block = await appBlock(t, "b");
    for (const n of ["delta", "alpha", "echo", "charlie", "bravo"]) await createApplication(t, applicationInput(n, block));
    const byServer = await allPages(async (token) => {
      const out = await t.client.send(new DescribeApplicationsCommand({ NextToken: token }));
      return { items: out.Applications, next: out.NextToken };
    });
    expect([byServer.items.map((a: Application) => a.Name), byServer.pages]).toEqual([["alpha", "bravo", "charlie", "delta", "echo"], 3]);
    const byFour = await allPages(async (token) => {
      const out = await t.client.send(new DescribeApplicationsCommand({ MaxResults: 4, NextToken: token }));
      return { items: out.Applications, next: out.NextToken };
    });
    expect(byFour.pages).toBe(2);
    const some = await t.client.send(new DescribeApplicationsCommand({ Arns: [applicationArn("echo"), applicationArn("alpha")] }));
    expect(some.Applications!.map((a) => a.Name)).toEqual(["echo", "alpha"]);
    const err = await errorOf(() => t.client.send(new DescribeApplicationsCommand({ Arns: [applicationArn("alpha"), applicationArn("zulu")] })));
    expect(err.name).toBe("ResourceNotFoundException");
  });

  test("APP-07 DeleteApplication is refused while associated with a fleet or an entitlement, then succeeds; unknown → ResourceNotFoundException", async () => {
    const t = emu();
    const app = await applicationOnActiveBlock(t, "notepad");
    await elasticFleet(t, "elastic");
    await t.client.send(new CreateStackCommand({ Name: "stack" }));
    await t.client.send(new AssociateApplicationFleetCommand({ FleetName: "elastic", ApplicationArn: app.Arn }));
    await t.client.send(new CreateEntitlementCommand({ Name: "ent", StackName: "stack", AppVisibility: "ASSOCIATED", Attributes: [{ Name: "groups", Value: "staff" }] }));
    await t.client.send(new AssociateApplicationToEntitlementCommand({ StackName: "stack", EntitlementName: "ent", ApplicationIdentifier: "notepad" }));
    const byFleet = await errorOf(() => t.client.send(new DeleteApplicationCommand({ Name: "notepad" })));
    expect([byFleet.name, byFleet.message]).toEqual([
      "ResourceInUseException",
      "The application notepad is associated with the fleets elastic. Disassociate it from every fleet first.",
    ]);
    await t.client.send(new DisassociateApplicationFleetCommand({ FleetName: "elastic", ApplicationArn: app.Arn }));
    const byEntitlement = await errorOf(() => t.client.send(new DeleteApplicationCommand({ Name: "notepad" })));
    expect([byEntitlement.name, byEntitlement.message]).toEqual([
      "ResourceInUseException",
      "The application notepad is associated with the entitlements stack/ent. Disassociate it from every entitlement first.",
    ]);
    await t.client.send(new DisassociateApplicationFromEntitlementCommand({ StackName: "stack", EntitlementName: "ent", ApplicationIdentifier: "notepad" }));
    await t.client.send(new DeleteApplicationCommand({ Name: "notepad" }));
    expect((await t.client.send(new DescribeApplicationsCommand({}))).Applications).toEqual([]);
    expect((await errorOf(() => t.client.send(new DeleteApplicationCommand({ Name: "notepad" })))).name).toBe("ResourceNotFoundException");
  });

  test("PROTO-12 applications and entitlements called constructor or toString are ordinary names: created, found, associated, listed and deleted", async () => {
    const t = emu();
    const app = await applicationOnActiveBlock(t, "constructor");
    expect((await errorOf(() => t.client.send(new DescribeApplicationsCommand({ Arns: [applicationArn("toString")] })))).name).toBe("ResourceNotFoundException");
    await elasticFleet(t, "hasOwnProperty");
    await t.client.send(new AssociateApplicationFleetCommand({ FleetName: "hasOwnProperty", ApplicationArn: app.Arn }));
    await t.client.send(new CreateStackCommand({ Name: "toString" }));
    await t.client.send(new CreateEntitlementCommand({ Name: "constructor", StackName: "toString", AppVisibility: "ASSOCIATED", Attributes: [{ Name: "roles", Value: "r" }] }));
    expect((await errorOf(() => t.client.send(new DescribeEntitlementsCommand({ StackName: "toString", Name: "valueOf" })))).name).toBe("EntitlementNotFoundException");
    await t.client.send(new AssociateApplicationToEntitlementCommand({ StackName: "toString", EntitlementName: "constructor", ApplicationIdentifier: "constructor" }));
    const listed = await t.client.send(new ListEntitledApplicationsCommand({ StackName: "toString", EntitlementName: "constructor" }));
    expect(listed.EntitledApplications).toEqual([{ ApplicationIdentifier: "constructor" }]);
    await t.client.send(new DisassociateApplicationFromEntitlementCommand({ StackName: "toString", EntitlementName: "constructor", ApplicationIdentifier: "constructor" }));
    await t.client.send(new DisassociateApplicationFleetCommand({ FleetName: "hasOwnProperty", ApplicationArn: app.Arn }));
    await t.client.send(new DeleteApplicationCommand({ Name: "constructor" }));
    expect((await t.client.send(new DescribeApplicationsCommand({}))).Applications).toEqual([]);
  });
});
