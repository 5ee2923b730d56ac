import {
  AssociateApplicationToEntitlementCommand,
  AssociateFleetCommand,
  CreateEntitlementCommand,
  CreateImportedImageCommand,
  CreateStackCommand,
  DeleteEntitlementCommand,
  DeleteStackCommand,
  DescribeEntitlementsCommand,
  DisassociateApplicationFromEntitlementCommand,
  ListEntitledApplicationsCommand,
  UpdateEntitlementCommand,
  type CreateEntitlementCommandInput,
  type Entitlement,
} from "@aws-sdk/client-appstream";
import { describe, expect, test } from "vitest";
import { appBlock, applicationArn, applicationInput, applicationOnActiveBlock, createApplication } from "./apps-fixtures.js";
import { conformanceProblems } from "./conformance.js";
import { createFleet, errorOf, fleetInput, rawCall, useEmulator, type TestEmulator } from "./helpers.js";
import { allPages } from "./pages.js";

const STAFF = [{ Name: "groups", Value: "staff" }];

async function createEntitlement(t: TestEmulator, Name: string, StackName = "stack", extra: Partial<CreateEntitlementCommandInput> = {}): Promise<Entitlement> {
  return (await t.client.send(new CreateEntitlementCommand({ Name, StackName, AppVisibility: "ASSOCIATED", Attributes: STAFF, ...extra }))).Entitlement!;
}

async function entitled(t: TestEmulator, EntitlementName: string, StackName = "stack", MaxResults?: number) {
  return allPages(async (token) => {
    const out = await t.client.send(new ListEntitledApplicationsCommand({ StackName, EntitlementName, MaxResults, NextToken: token }));
    return { items: out.EntitledApplications?.map((a) => a.ApplicationIdentifier), next: out.NextToken };
  });
}

const associate = (t: TestEmulator, EntitlementName: string, ApplicationIdentifier: string, StackName = "stack") =>
  t.client.send(new AssociateApplicationToEntitlementCommand({ StackName, EntitlementName, ApplicationIdentifier }));

describe("entitlements", () => {
  const emu = useEmulator({ pageSize: 2 }, { setUp: async (t) => void (await t.client.send(new CreateStackCommand({ Name: "stack" }))) });

  test("ENT-01 CreateEntitlement returns the entitlement with CreatedTime and LastModifiedTime; an unknown stack → ResourceNotFoundException", async () => {
    const t = emu();
    const ent = await createEntitlement(t, "engineers", "stack", {
      Description: "engineering apps",
      AppVisibility: "ALL",
      Attributes: [{ Name: "department", Value: "engineering" }, { Name: "costCenter", Value: "42" }],
    });
    expect(ent).toEqual({
      Name: "engineers",
      StackName: "stack",
      Description: "engineering apps",
      AppVisibility: "ALL",
      Attributes: [{ Name: "department", Value: "engineering" }, { Name: "costCenter", Value: "42" }],
      CreatedTime: expect.any(Date),
      LastModifiedTime: ent.CreatedTime,
    });
    const raw = await rawCall(t.emu.url, "PhotonAdminProxyService.DescribeEntitlements", JSON.stringify({ StackName: "stack" }));
    expect(conformanceProblems("DescribeEntitlements", JSON.parse(raw.text))).toEqual([]);
    const err = await errorOf(() => createEntitlement(t, "engineers", "nope"));
    expect([err.name, err.message]).toEqual(["ResourceNotFoundException", "The stack nope does not exist."]);
  });

  test("ENT-02 a name taken in the same stack → EntitlementAlreadyExistsException; the same name in another stack is another entitlement", async () => {
    const t = emu();
    await t.client.send(new CreateStackCommand({ Name: "other" }));
    await createEntitlement(t, "ent");
    const err = await errorOf(() => createEntitlement(t, "ent", "stack", { AppVisibility: "ALL" }));
    expect([err.name, err.message]).toEqual(["EntitlementAlreadyExistsException", "The entitlement ent already exists for the stack stack."]);
    const other = await createEntitlement(t, "ent", "other", { AppVisibility: "ALL" });
    expect([other.StackName, other.AppVisibility]).toEqual(["other", "ALL"]);
    const mine = (await t.client.send(new DescribeEntitlementsCommand({ StackName: "stack", Name: "ent" }))).Entitlements!;
    expect(mine.map((e) => [e.StackName, e.AppVisibility])).toEqual([["stack", "ASSOCIATED"]]);
  });

  test("ENT-03 an attribute name outside the documented SAML attributes → ValidationException on Create and Update, nothing stored", async () => {
    const t = emu();
    const create = await errorOf(() => createEntitlement(t, "ent", "stack", { Attributes: [{ Name: "email", Value: "x" }] }));
    expect(create.name).toBe("ValidationException");
    expect((await t.client.send(new DescribeEntitlementsCommand({ StackName: "stack" }))).Entitlements).toEqual([]);
    await createEntitlement(t, "ent", "stack", { Attributes: [{ Name: "roles", Value: "a" }, { Name: "userType", Value: "b" }, { Name: "title", Value: "c" }] });
    const update = await errorOf(() => t.client.send(new UpdateEntitlementCommand({ Name: "ent", StackName: "stack", Attributes: [{ Name: "Groups", Value: "x" }] })));
    expect(update.name).toBe("ValidationException");
    const [ent] = (await t.client.send(new DescribeEntitlementsCommand({ StackName: "stack", Name: "ent" }))).Entitlements!;
    expect(ent?.Attributes?.map((a) => a.Name)).toEqual(["roles", "userType", "title"]);
  });

  test("ENT-04 UpdateEntitlement sets what it is given and keeps the rest, LastModifiedTime moves; unknown entitlement → EntitlementNotFoundException, unknown stack → ResourceNotFoundException", async () => {
    const t = emu();
    const created = await createEntitlement(t, "ent", "stack", { Description: "first" });
    t.emu.store.advance(60_000);
    const updated = (
      await t.client.send(new UpdateEntitlementCommand({ Name: "ent", StackName: "stack", AppVisibility: "ALL", Attributes: [{ Name: "organization", Value: "acme" }] }))
    ).Entitlement!;
    expect(updated).toEqual({ ...created, AppVisibility: "ALL", Attributes: [{ Name: "organization", Value: "acme" }], LastModifiedTime: expect.any(Date) });
    expect(updated.LastModifiedTime!.getTime() - created.CreatedTime!.getTime()).toBeGreaterThanOrEqual(60_000);
    const described = (await t.client.send(new UpdateEntitlementCommand({ Name: "ent", StackName: "stack", Description: "second" }))).Entitlement!;
    expect([described.Description, described.AppVisibility, described.CreatedTime]).toEqual(["second", "ALL", created.CreatedTime]);
    const missing = await errorOf(() => t.client.send(new UpdateEntitlementCommand({ Name: "nope", StackName: "stack", Description: "x" })));
    expect([missing.name, missing.message]).toEqual(["EntitlementNotFoundException", "The entitlement nope does not exist for the stack stack."]);
    const noStack = await errorOf(() => t.client.send(new UpdateEntitlementCommand({ Name: "ent", StackName: "nope", Description: "x" })));
    expect(noStack.name).toBe("ResourceNotFoundException");
  });

  test("ENT-05 DescribeEntitlements lists the stack's entitlements sorted by name in pages; with Name only that one, an unknown Name → EntitlementNotFoundException", async () => {
    const t = emu();
    await t.client.send(new CreateStackCommand({ Name: "other" }));
    for (const n of ["delta", "alpha", "echo", "charlie", "bravo"]) await createEntitlement(t, n);
    await createEntitlement(t, "zulu", "other");
    const byServer = await allPages(async (token) => {
      const out = await t.client.send(new DescribeEntitlementsCommand({ StackName: "stack", NextToken: token }));
      return { items: out.Entitlements?.map((e) => e.Name), next: out.NextToken };
    });
    expect(byServer).toEqual({ items: ["alpha", "bravo", "charlie", "delta", "echo"], pages: 3 });
    const byFive = await allPages(async (token) => {
      const out = await t.client.send(new DescribeEntitlementsCommand({ StackName: "stack", MaxResults: 5, NextToken: token }));
      return { items: out.Entitlements?.map((e) => e.Name), next: out.NextToken };
    });
    expect(byFive.pages).toBe(1);
    expect((await t.client.send(new DescribeEntitlementsCommand({ StackName: "stack", Name: "charlie" }))).Entitlements!.map((e) => e.Name)).toEqual(["charlie"]);
    expect((await errorOf(() => t.client.send(new DescribeEntitlementsCommand({ StackName: "stack", Name: "zulu" })))).name).toBe("EntitlementNotFoundException");
    expect((await errorOf(() => t.client.send(new DescribeEntitlementsCommand({ StackName: "nope" })))).name).toBe("ResourceNotFoundException");
  });

  test("ENT-06 DeleteEntitlement removes the entitlement and its applications; a new namesake starts with none; a second delete → EntitlementNotFoundException", async () => {
    const t = emu();
    await applicationOnActiveBlock(t, "word");
    await createEntitlement(t, "ent");
    await associate(t, "ent", "word");
    await t.client.send(new DeleteEntitlementCommand({ Name: "ent", StackName: "stack" }));
    expect((await t.client.send(new DescribeEntitlementsCommand({ StackName: "stack" }))).Entitlements).toEqual([]);
    expect((await errorOf(() => t.client.send(new DeleteEntitlementCommand({ Name: "ent", StackName: "stack" })))).name).toBe("EntitlementNotFoundException");
    await createEntitlement(t, "ent");
    expect((await entitled(t, "ent")).items).toEqual([]);
  });

  test("ENT-07 the ApplicationIdentifier is an application name (of the region, or of the image of the stack's fleet); anything else, an ARN included → ResourceNotFoundException; again → no change", async () => {
    const t = emu();
    await applicationOnActiveBlock(t, "word");
    await createEntitlement(t, "ent", "stack", { AppVisibility: "ALL" });
    await associate(t, "ent", "word");
    await associate(t, "ent", "word");
    const arn = await errorOf(() => associate(t, "ent", applicationArn("word")));
    expect([arn.name, arn.message]).toEqual(["ResourceNotFoundException", `The application ${applicationArn("word")} does not exist.`]);
    expect((await errorOf(() => associate(t, "ent", "notepad"))).name).toBe("ResourceNotFoundException");
    await t.client.send(
      new CreateImportedImageCommand({
        Name: "imported",
        SourceAmiId: "ami-12345678",
        IamRoleArn: "arn:aws:iam::123456789012:role/import",
        AppCatalogConfig: [{ Name: "notepad", AbsoluteAppPath: "C:\\Windows\\notepad.exe" }],
      }),
    );
    await createFleet(t.client, fleetInput("always-on", { ImageName: "imported", FleetType: "ALWAYS_ON" }));
    await t.client.send(new AssociateFleetCommand({ StackName: "stack", FleetName: "always-on" }));
    await associate(t, "ent", "notepad");
    expect((await entitled(t, "ent")).items).toEqual(["notepad", "word"]);
    expect((await errorOf(() => associate(t, "nope", "word"))).name).toBe("EntitlementNotFoundException");
    expect((await errorOf(() => associate(t, "ent", "word", "nope"))).name).toBe("ResourceNotFoundException");
  });

  test("ENT-08 DisassociateApplicationFromEntitlement removes the identifier; one not associated → ResourceNotFoundException", async () => {
    const t = emu();
    await applicationOnActiveBlock(t, "word");
    await applicationOnActiveBlock(t, "excel");
    await createEntitlement(t, "ent");
    await associate(t, "ent", "word");
    await associate(t, "ent", "excel");
    await t.client.send(new DisassociateApplicationFromEntitlementCommand({ StackName: "stack", EntitlementName: "ent", ApplicationIdentifier: "word" }));
    expect((await entitled(t, "ent")).items).toEqual(["excel"]);
    const err = await errorOf(() =>
      t.client.send(new DisassociateApplicationFromEntitlementCommand({ StackName: "stack", EntitlementName: "ent", ApplicationIdentifier: "word" })),
    );
    expect([err.name, err.message]).toEqual(["ResourceNotFoundException", "The application word is not associated with the entitlement ent."]);
    const noEnt = await errorOf(() =>
      t.client.send(new DisassociateApplicationFromEntitlementCommand({ StackName: "stack", EntitlementName: "nope", ApplicationIdentifier: "excel" })),
    );
    expect(noEnt.name).toBe("EntitlementNotFoundException");
  });

  test("ENT-09 ListEntitledApplications returns the identifiers sorted, in pages of MaxResults, else the server page size", async () => {
    const t = emu();
    const block = await appBlock(t, "block");
    const names = ["paint", "calc", "word", "excel", "notes"];
    for (const n of names) await createApplication(t, applicationInput(n, block));
    await createEntitlement(t, "ent");
    for (const n of names) await associate(t, "ent", n);
    expect(await entitled(t, "ent")).toEqual({ items: [...names].sort(), pages: 3 });
    expect((await entitled(t, "ent", "stack", 4)).pages).toBe(2);
    const raw = await rawCall(t.emu.url, "PhotonAdminProxyService.ListEntitledApplications", JSON.stringify({ StackName: "stack", EntitlementName: "ent" }));
    expect(conformanceProblems("ListEntitledApplications", JSON.parse(raw.text))).toEqual([]);
    expect((await errorOf(() => entitled(t, "nope"))).name).toBe("EntitlementNotFoundException");
    expect((await errorOf(() => entitled(t, "ent", "nope"))).name).toBe("ResourceNotFoundException");
  });

  test("ENT-10 DeleteStack removes the stack's entitlements: a re-created stack has none", async () => {
    const t = emu();
    await createEntitlement(t, "a");
    await createEntitlement(t, "b");
    await t.client.send(new DeleteStackCommand({ Name: "stack" }));
    await t.client.send(new CreateStackCommand({ Name: "stack" }));
    expect((await t.client.send(new DescribeEntitlementsCommand({ StackName: "stack" }))).Entitlements).toEqual([]);
    const state = (await fetch(`${t.emu.url}/_emulator/state`).then((r) => r.json())) as { regions: Record<string, { entitlements?: object }> };
    expect(state.regions["us-east-1"]?.entitlements).toEqual({});
  });
});
