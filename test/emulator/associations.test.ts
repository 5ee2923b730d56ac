import {
  AssociateFleetCommand,
  CreateFleetCommand,
  CreateStackCommand,
  DisassociateFleetCommand,
  ListAssociatedFleetsCommand,
  ListAssociatedStacksCommand,
  StartFleetCommand,
} from "@aws-sdk/client-appstream";
import { expect, test } from "vitest";
import { errorOf, fleetInput, useEmulator } from "./helpers.js";

const emulator = useEmulator({ pageSize: 2 }, {
  setUp: async (t) => {
    for (const f of ["f1", "f2"]) await t.client.send(new CreateFleetCommand(fleetInput(f) as never));
    for (const s of ["s1", "s2", "s3"]) await t.client.send(new CreateStackCommand({ Name: s }));
  },
});

const assoc = (StackName: string, FleetName: string) => emulator().client.send(new AssociateFleetCommand({ StackName, FleetName }));
const stacksOf = async (FleetName: string) => {
  const names: string[] = [];
  let NextToken: string | undefined;
  do {
    const page = await emulator().client.send(new ListAssociatedStacksCommand({ FleetName, NextToken }));
    names.push(...(page.Names ?? []));
    NextToken = page.NextToken;
  } while (NextToken);
  return names;
};

test("ASSOC-01 AssociateFleet links; both List calls show it; one fleet serves several stacks", async () => {
  await assoc("s1", "f1");
  await assoc("s2", "f1");
  await assoc("s3", "f1");
  expect((await emulator().client.send(new ListAssociatedFleetsCommand({ StackName: "s1" }))).Names).toEqual(["f1"]);
  expect(await stacksOf("f1")).toEqual(["s1", "s2", "s3"]);
  expect(await stacksOf("f2")).toEqual([]);
});

test("ASSOC-02 unknown stack or fleet → ResourceNotFoundException", async () => {
  for (const [s, f] of [
    ["ghost", "f1"],
    ["s1", "ghost"],
  ] as const) {
    expect((await errorOf(() => assoc(s, f))).name).toBe("ResourceNotFoundException");
    expect((await errorOf(() => emulator().client.send(new DisassociateFleetCommand({ StackName: s, FleetName: f })))).name).toBe("ResourceNotFoundException");
  }
});

test("ASSOC-03 a second fleet on a stack → OperationNotPermittedException; the same pair again is a no-op", async () => {
  await assoc("s1", "f1");
  await assoc("s1", "f1");
  const err = await errorOf(() => assoc("s1", "f2"));
  expect(err.name).toBe("OperationNotPermittedException");
  expect(err.message).toBe("The stack s1 already has the fleet f1 associated. First, disassociate the associated fleet.");
  expect((await emulator().client.send(new ListAssociatedFleetsCommand({ StackName: "s1" }))).Names).toEqual(["f1"]);
});

test("ASSOC-04 DisassociateFleet removes the link; a pair not associated → ResourceNotFoundException", async () => {
  await assoc("s1", "f1");
  await emulator().client.send(new DisassociateFleetCommand({ StackName: "s1", FleetName: "f1" }));
  expect((await emulator().client.send(new ListAssociatedFleetsCommand({ StackName: "s1" }))).Names).toEqual([]);
  const err = await errorOf(() => emulator().client.send(new DisassociateFleetCommand({ StackName: "s1", FleetName: "f1" })));
  expect(err.name).toBe("ResourceNotFoundException");
});

test("ASSOC-05 ListAssociated* never fail for unknown names and page by the server page size", async () => {
  expect((await emulator().client.send(new ListAssociatedFleetsCommand({ StackName: "ghost" }))).Names).toEqual([]);
  expect((await emulator().client.send(new ListAssociatedStacksCommand({ FleetName: "ghost" }))).Names).toEqual([]);
  for (const s of ["s1", "s2", "s3"]) await assoc(s, "f2");
  const first = await emulator().client.send(new ListAssociatedStacksCommand({ FleetName: "f2" }));
  expect(first.Names).toEqual(["s1", "s2"]);
  expect(first.NextToken).toBeDefined();
  const second = await emulator().client.send(new ListAssociatedStacksCommand({ FleetName: "f2", NextToken: first.NextToken }));
  expect(second.Names).toEqual(["s3"]);
  expect(second.NextToken).toBeUndefined();
});

test("ASSOC-06 associations work on a RUNNING fleet", async () => {
  await emulator().client.send(new StartFleetCommand({ Name: "f1" }));
  await assoc("s1", "f1");
  expect(await stacksOf("f1")).toEqual(["s1"]);
  await emulator().client.send(new DisassociateFleetCommand({ StackName: "s1", FleetName: "f1" }));
  expect(await stacksOf("f1")).toEqual([]);
});
