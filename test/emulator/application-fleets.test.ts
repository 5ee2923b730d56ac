import {
  AssociateApplicationFleetCommand,
  DeleteFleetCommand,
  DescribeApplicationFleetAssociationsCommand,
  DescribeFleetsCommand,
  DisassociateApplicationFleetCommand,
  type ApplicationFleetAssociation,
} from "@aws-sdk/client-appstream";
import { describe, expect, test } from "vitest";
import { appBlock, applicationArn, applicationInput, applicationOnActiveBlock, createApplication, elasticFleet } from "./apps-fixtures.js";
import { conformanceProblems } from "./conformance.js";
import { createFleet, errorOf, fleetInput, rawCall, useEmulator, type TestEmulator } from "./helpers.js";
import { allPages } from "./pages.js";

const associate = (t: TestEmulator, FleetName: string, ApplicationArn: string) =>
  t.client.send(new AssociateApplicationFleetCommand({ FleetName, ApplicationArn }));

async function associations(t: TestEmulator, filter: { FleetName?: string; ApplicationArn?: string }, MaxResults?: number) {
  return allPages<ApplicationFleetAssociation>(async (token) => {
    const out = await t.client.send(new DescribeApplicationFleetAssociationsCommand({ ...filter, MaxResults, NextToken: token }));
    return { items: out.ApplicationFleetAssociations, next: out.NextToken };
  });
}

describe("application–fleet associations", () => {
  const emu = useEmulator({ pageSize: 2 });

  test("APPFLEET-01 AssociateApplicationFleet returns the pair; Describe by fleet, by application or both lists it; many apps per fleet, many fleets per app; associating again changes nothing", async () => {
    const t = emu();
    const word = await applicationOnActiveBlock(t, "word");
    const excel = await applicationOnActiveBlock(t, "excel");
    await elasticFleet(t, "fleet-a");
    await elasticFleet(t, "fleet-b");
    const out = await associate(t, "fleet-a", word.Arn!);
    expect(out.ApplicationFleetAssociation).toEqual({ FleetName: "fleet-a", ApplicationArn: applicationArn("word") });
    await associate(t, "fleet-a", excel.Arn!);
    await associate(t, "fleet-b", word.Arn!);
    await associate(t, "fleet-a", word.Arn!);
    expect((await associations(t, { FleetName: "fleet-a" })).items).toEqual([
      { FleetName: "fleet-a", ApplicationArn: applicationArn("excel") },
      { FleetName: "fleet-a", ApplicationArn: applicationArn("word") },
    ]);
    expect((await associations(t, { ApplicationArn: word.Arn })).items).toEqual([
      { FleetName: "fleet-a", ApplicationArn: applicationArn("word") },
      { FleetName: "fleet-b", ApplicationArn: applicationArn("word") },
    ]);
    expect((await associations(t, { FleetName: "fleet-b", ApplicationArn: word.Arn })).items).toEqual([{ FleetName: "fleet-b", ApplicationArn: applicationArn("word") }]);
    const raw = await rawCall(t.emu.url, "PhotonAdminProxyService.AssociateApplicationFleet", JSON.stringify({ FleetName: "fleet-b", ApplicationArn: excel.Arn }));
    expect(conformanceProblems("AssociateApplicationFleet", JSON.parse(raw.text))).toEqual([]);
  });

  test("APPFLEET-02 an unknown fleet or an ARN naming no application → ResourceNotFoundException", async () => {
    const t = emu();
    const app = await applicationOnActiveBlock(t, "word");
    await elasticFleet(t, "fleet");
    const noFleet = await errorOf(() => associate(t, "nope", app.Arn!));
    expect([noFleet.name, noFleet.message]).toEqual(["ResourceNotFoundException", "The fleet nope does not exist."]);
    const noApp = await errorOf(() => associate(t, "fleet", applicationArn("nope")));
    expect([noApp.name, noApp.message]).toEqual(["ResourceNotFoundException", `The application ${applicationArn("nope")} does not exist.`]);
    const otherAccount = await errorOf(() => associate(t, "fleet", "arn:aws:appstream:us-east-1:999999999999:application/word"));
    expect(otherAccount.name).toBe("ResourceNotFoundException");
  });

  test("APPFLEET-03 a fleet that is not ELASTIC → OperationNotPermittedException", async () => {
    const t = emu();
    const app = await applicationOnActiveBlock(t, "word");
    await createFleet(t.client, fleetInput("on-demand"));
    const err = await errorOf(() => associate(t, "on-demand", app.Arn!));
    expect([err.name, err.message]).toEqual([
      "OperationNotPermittedException",
      "The fleet on-demand is ON_DEMAND. Applications can be associated only with Elastic fleets.",
    ]);
    expect((await associations(t, { FleetName: "on-demand" })).items).toEqual([]);
  });

  test("APPFLEET-04 an application whose app block is not ACTIVE → OperationNotPermittedException", async () => {
    const t = emu();
    const block = await appBlock(t, "unpackaged", "APPSTREAM2");
    const app = await createApplication(t, applicationInput("word", block));
    await elasticFleet(t, "fleet");
    const err = await errorOf(() => associate(t, "fleet", app.Arn!));
    expect([err.name, err.message]).toEqual([
      "OperationNotPermittedException",
      `The app block ${block} of the application word is INACTIVE; an Elastic fleet needs ACTIVE app blocks.`,
    ]);
    expect((await associations(t, { ApplicationArn: app.Arn })).items).toEqual([]);
  });

  test("APPFLEET-05 the fleet's platform not among the application's, or no GENERAL_PURPOSE family → InvalidParameterCombinationException", async () => {
    const t = emu();
    const linuxOnly = await applicationOnActiveBlock(t, "gedit", { Platforms: ["AMAZON_LINUX2"] });
    const gpuOnly = await applicationOnActiveBlock(t, "cad", { InstanceFamilies: ["GRAPHICS_G4"] });
    const both = await applicationOnActiveBlock(t, "vlc", { Platforms: ["WINDOWS_SERVER_2019", "AMAZON_LINUX2"] });
    await elasticFleet(t, "windows");
    await elasticFleet(t, "linux", { Platform: "AMAZON_LINUX2" });
    const platform = await errorOf(() => associate(t, "windows", linuxOnly.Arn!));
    expect([platform.name, platform.message]).toEqual([
      "InvalidParameterCombinationException",
      "The application gedit supports the platforms AMAZON_LINUX2, not the fleet's WINDOWS_SERVER_2019.",
    ]);
    expect((await errorOf(() => associate(t, "windows", gpuOnly.Arn!))).name).toBe("InvalidParameterCombinationException");
    await associate(t, "linux", linuxOnly.Arn!);
    await associate(t, "linux", both.Arn!);
    await associate(t, "windows", both.Arn!);
    expect((await associations(t, { FleetName: "linux" })).items.map((a) => a.ApplicationArn)).toEqual([applicationArn("gedit"), applicationArn("vlc")]);
  });

  test("APPFLEET-06 DisassociateApplicationFleet removes the pair; a pair not associated or unknown names succeed without change", async () => {
    const t = emu();
    const word = await applicationOnActiveBlock(t, "word");
    const excel = await applicationOnActiveBlock(t, "excel");
    await elasticFleet(t, "fleet");
    await associate(t, "fleet", word.Arn!);
    await associate(t, "fleet", excel.Arn!);
    await t.client.send(new DisassociateApplicationFleetCommand({ FleetName: "fleet", ApplicationArn: word.Arn }));
    expect((await associations(t, { FleetName: "fleet" })).items).toEqual([{ FleetName: "fleet", ApplicationArn: applicationArn("excel") }]);
    await t.client.send(new DisassociateApplicationFleetCommand({ FleetName: "fleet", ApplicationArn: word.Arn }));
    await t.client.send(new DisassociateApplicationFleetCommand({ FleetName: "nope", ApplicationArn: applicationArn("nope") }));
    expect((await associations(t, { FleetName: "fleet" })).items).toHaveLength(1);
  });

  test("APPFLEET-07 Describe needs FleetName or ApplicationArn (InvalidParameterCombinationException); unknown names give no list; pages of MaxResults, else the server page size, at most 25", async () => {
    const t = emu();
    const err = await errorOf(() => t.client.send(new DescribeApplicationFleetAssociationsCommand({})));
    expect([err.name, err.message]).toEqual(["InvalidParameterCombinationException", "Either ApplicationArn or FleetName must be specified."]);
    const none = await t.client.send(new DescribeApplicationFleetAssociationsCommand({ FleetName: "nope" }));
    expect([none.ApplicationFleetAssociations, none.NextToken]).toEqual([undefined, undefined]);
    const raw = await rawCall(t.emu.url, "PhotonAdminProxyService.DescribeApplicationFleetAssociations", JSON.stringify({ FleetName: "nope" }));
    expect(JSON.parse(raw.text)).toEqual({});
    const block = await appBlock(t, "block");
    await elasticFleet(t, "fleet");
    const names = Array.from({ length: 30 }, (_, i) => `app${String(i).padStart(2, "0")}`);
    for (const n of names) {
      const app = await createApplication(t, applicationInput(n, block));
      await associate(t, "fleet", app.Arn!);
    }
    const byServer = await associations(t, { FleetName: "fleet" });
    expect([byServer.items.length, byServer.pages]).toEqual([30, 15]);
    expect(byServer.items.map((a) => a.ApplicationArn)).toEqual(names.map(applicationArn));
    const byMax = await associations(t, { FleetName: "fleet" }, 100);
    expect([byMax.items.length, byMax.pages]).toEqual([30, 2]);
    const byTen = await associations(t, { FleetName: "fleet" }, 10);
    expect(byTen.pages).toBe(3);
  });

  test("APPFLEET-08 DeleteFleet with applications associated → ResourceInUseException; after disassociating, the fleet is deleted", async () => {
    const t = emu();
    const app = await applicationOnActiveBlock(t, "word");
    await elasticFleet(t, "fleet");
    await associate(t, "fleet", app.Arn!);
    const err = await errorOf(() => t.client.send(new DeleteFleetCommand({ Name: "fleet" })));
    expect([err.name, err.message]).toEqual([
      "ResourceInUseException",
      "The fleet fleet has applications associated. To delete the fleet, you must disassociate them from the fleet.",
    ]);
    await t.client.send(new DisassociateApplicationFleetCommand({ FleetName: "fleet", ApplicationArn: app.Arn }));
    await t.client.send(new DeleteFleetCommand({ Name: "fleet" }));
    expect((await t.client.send(new DescribeFleetsCommand({}))).Fleets).toEqual([]);
  });
});
