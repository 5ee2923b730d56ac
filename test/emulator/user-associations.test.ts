import {
  AssociateFleetCommand,
  BatchAssociateUserStackCommand,
  BatchDisassociateUserStackCommand,
  CreateFleetCommand,
  CreateStackCommand,
  CreateUserCommand,
  DeleteStackCommand,
  DescribeUserStackAssociationsCommand,
  type UserStackAssociation,
} from "@aws-sdk/client-appstream";
import { describe, expect, test } from "vitest";
import { errorOf, fleetInput, rawCall, type TestEmulator, useEmulator } from "./helpers.js";
import { allPages } from "./pages.js";

const POOL = "USERPOOL" as const;
const assoc = (StackName: string, UserName: string): UserStackAssociation => ({ StackName, UserName, AuthenticationType: POOL });

async function allAssociations(t: TestEmulator, filter: { StackName?: string; UserName?: string }, MaxResults?: number) {
  const { items, pages } = await allPages(async (token) => {
    const page = await t.client.send(
      new DescribeUserStackAssociationsCommand({ ...filter, AuthenticationType: filter.UserName ? POOL : undefined, MaxResults, NextToken: token }),
    );
    return { items: page.UserStackAssociations, next: page.NextToken };
  });
  return { list: items, pages };
}

describe("user–stack associations", () => {
  const emulator = useEmulator({ pageSize: 2 }, {
    scope: "all",
    setUp: async (t) => {
      for (const s of ["s1", "s2", "s3"]) await t.client.send(new CreateStackCommand({ Name: s }));
      for (const u of ["a@x.com", "b@x.com", "c@x.com", "A@x.com"]) await t.client.send(new CreateUserCommand({ UserName: u, AuthenticationType: POOL }));
    },
  });

  test("UA-01 BatchAssociateUserStack associates and returns an empty lowercase `errors` list; Describe by stack and by user shows them", async () => {
    const out = await emulator().client.send(
      new BatchAssociateUserStackCommand({ UserStackAssociations: [assoc("s1", "a@x.com"), assoc("s1", "b@x.com"), assoc("s2", "a@x.com")] }),
    );
    expect(out.errors).toEqual([]);
    const raw = await rawCall(emulator().emu.url, "PhotonAdminProxyService.BatchAssociateUserStack", JSON.stringify({ UserStackAssociations: [assoc("s1", "a@x.com")] }));
    expect(JSON.parse(raw.text)).toEqual({ errors: [] });
    const byStack = await allAssociations(emulator(), { StackName: "s1" });
    expect(byStack.list).toEqual([assoc("s1", "a@x.com"), assoc("s1", "b@x.com")]);
    const byUser = await allAssociations(emulator(), { UserName: "a@x.com" });
    expect(byUser.list.map((a) => a.StackName)).toEqual(["s1", "s2"]);
    const both = await allAssociations(emulator(), { StackName: "s2", UserName: "a@x.com" });
    expect(both.list).toEqual([assoc("s2", "a@x.com")]);
  });

  test("UA-02 per-item failures come back in errors[] (STACK_NOT_FOUND, USER_NAME_NOT_FOUND, exact-case user names) while the other items succeed", async () => {
    const out = await emulator().client.send(
      new BatchAssociateUserStackCommand({
        UserStackAssociations: [assoc("nope", "a@x.com"), assoc("s3", "ghost@x.com"), assoc("s3", "C@x.com"), assoc("s3", "c@x.com")],
      }),
    );
    expect(out.errors?.map((e) => [e.ErrorCode, e.UserStackAssociation?.StackName, e.UserStackAssociation?.UserName])).toEqual([
      ["STACK_NOT_FOUND", "nope", "a@x.com"],
      ["USER_NAME_NOT_FOUND", "s3", "ghost@x.com"],
      ["USER_NAME_NOT_FOUND", "s3", "C@x.com"],
    ]);
    expect(out.errors?.[0]?.ErrorMessage).toBe("The stack nope does not exist.");
    expect((await allAssociations(emulator(), { StackName: "s3" })).list).toEqual([assoc("s3", "c@x.com")]);
  });

  test("UA-03 associating twice and disassociating what is not associated both succeed without change", async () => {
    const again = await emulator().client.send(new BatchAssociateUserStackCommand({ UserStackAssociations: [assoc("s1", "a@x.com")] }));
    expect(again.errors).toEqual([]);
    expect((await allAssociations(emulator(), { StackName: "s1" })).list).toHaveLength(2);
    const none = await emulator().client.send(new BatchDisassociateUserStackCommand({ UserStackAssociations: [assoc("s2", "b@x.com")] }));
    expect(none.errors).toEqual([]);
  });

  test("UA-04 BatchDisassociateUserStack removes; unknown stack or user → per-item errors", async () => {
    const out = await emulator().client.send(
      new BatchDisassociateUserStackCommand({ UserStackAssociations: [assoc("s2", "a@x.com"), assoc("gone", "a@x.com"), assoc("s2", "zz@x.com")] }),
    );
    expect(out.errors?.map((e) => e.ErrorCode)).toEqual(["STACK_NOT_FOUND", "USER_NAME_NOT_FOUND"]);
    expect((await allAssociations(emulator(), { StackName: "s2" })).list).toEqual([]);
  });

  test("UA-05 a stack whose fleet is domain-joined refuses user-pool users with a per-item INTERNAL_ERROR", async () => {
    await emulator().client.send(new CreateStackCommand({ Name: "s-ad" }));
    await emulator().client.send(
      new CreateFleetCommand(fleetInput("f-ad", { DomainJoinInfo: { DirectoryName: "corp.example.com", OrganizationalUnitDistinguishedName: "OU=x" } })),
    );
    await emulator().client.send(new AssociateFleetCommand({ StackName: "s-ad", FleetName: "f-ad" }));
    const out = await emulator().client.send(new BatchAssociateUserStackCommand({ UserStackAssociations: [assoc("s-ad", "a@x.com"), assoc("s3", "a@x.com")] }));
    expect(out.errors?.map((e) => [e.ErrorCode, e.UserStackAssociation?.StackName])).toEqual([["INTERNAL_ERROR", "s-ad"]]);
    expect(out.errors?.[0]?.ErrorMessage).toContain("corp.example.com");
    expect((await allAssociations(emulator(), { StackName: "s-ad" })).list).toEqual([]);
  });

  test("UA-06 a non-USERPOOL AuthenticationType fails the whole batch with InvalidParameterCombinationException, nothing applied", async () => {
    const err = await errorOf(() =>
      emulator().client.send(
        new BatchAssociateUserStackCommand({
          UserStackAssociations: [assoc("s3", "b@x.com"), { StackName: "s3", UserName: "b@x.com", AuthenticationType: "SAML" }],
        }),
      ),
    );
    expect(err.name).toBe("InvalidParameterCombinationException");
    // s3 holds c@x.com (UA-02) and a@x.com (UA-05); b@x.com was not added.
    expect((await allAssociations(emulator(), { StackName: "s3" })).list).toEqual([assoc("s3", "a@x.com"), assoc("s3", "c@x.com")]);
  });

  test("UA-07 batches hold 1–25 items: 0 or 26 → ValidationException (model)", async () => {
    const empty = await errorOf(() => emulator().client.send(new BatchAssociateUserStackCommand({ UserStackAssociations: [] })));
    expect(empty.name).toBe("ValidationException");
    const many = Array.from({ length: 26 }, () => assoc("s1", "a@x.com"));
    const big = await errorOf(() => emulator().client.send(new BatchDisassociateUserStackCommand({ UserStackAssociations: many })));
    expect(big.name).toBe("ValidationException");
    expect(big.message).toContain("at 'userStackAssociations' failed to satisfy constraint: Member must have length less than or equal to 25");
  });

  test("UA-08 DescribeUserStackAssociations needs StackName or UserName+AuthenticationType → otherwise InvalidParameterCombinationException", async () => {
    expect((await errorOf(() => emulator().client.send(new DescribeUserStackAssociationsCommand({})))).name).toBe("InvalidParameterCombinationException");
    expect((await errorOf(() => emulator().client.send(new DescribeUserStackAssociationsCommand({ UserName: "a@x.com" })))).name).toBe(
      "InvalidParameterCombinationException",
    );
    expect((await errorOf(() => emulator().client.send(new DescribeUserStackAssociationsCommand({ AuthenticationType: POOL })))).name).toBe(
      "InvalidParameterCombinationException",
    );
    const unknown = await emulator().client.send(new DescribeUserStackAssociationsCommand({ StackName: "no-such-stack" }));
    expect(unknown.UserStackAssociations).toEqual([]);
  });

  test("UA-09 DescribeUserStackAssociations pages by MaxResults (0–500), else the server page size; 501 → ValidationException", async () => {
    await emulator().client.send(
      new BatchAssociateUserStackCommand({ UserStackAssociations: ["a@x.com", "b@x.com", "c@x.com", "A@x.com"].map((u) => assoc("s2", u)) }),
    );
    const server = await allAssociations(emulator(), { StackName: "s2" });
    expect(server.list.map((a) => a.UserName)).toEqual(["A@x.com", "a@x.com", "b@x.com", "c@x.com"]);
    expect(server.pages).toBe(2);
    const three = await allAssociations(emulator(), { StackName: "s2" }, 3);
    expect(three.pages).toBe(2);
    expect(three.list).toEqual(server.list);
    const big = await errorOf(() => emulator().client.send(new DescribeUserStackAssociationsCommand({ StackName: "s2", MaxResults: 501 })));
    expect(big.name).toBe("ValidationException");
  });

  test("UA-10 DeleteStack removes the stack's user associations (STACK-09)", async () => {
    await emulator().client.send(new DeleteStackCommand({ Name: "s2" }));
    expect((await allAssociations(emulator(), { UserName: "b@x.com" })).list.map((a) => a.StackName)).toEqual(["s1"]);
  });
});
