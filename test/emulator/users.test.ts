import {
  BatchAssociateUserStackCommand,
  CreateStackCommand,
  CreateUserCommand,
  DeleteUserCommand,
  DescribeUsersCommand,
  DescribeUserStackAssociationsCommand,
  DisableUserCommand,
  EnableUserCommand,
  type User,
} from "@aws-sdk/client-appstream";
import { describe, expect, test } from "vitest";
import { errorOf, type TestEmulator, useEmulator } from "./helpers.js";
import { allPages } from "./pages.js";

const POOL = "USERPOOL" as const;

async function allUsers(t: TestEmulator, maxResults?: number): Promise<{ users: User[]; pages: number }> {
  const { items, pages } = await allPages(async (token) => {
    const out = await t.client.send(new DescribeUsersCommand({ AuthenticationType: POOL, MaxResults: maxResults, NextToken: token }));
    return { items: out.Users, next: out.NextToken };
  });
  return { users: items, pages };
}

describe("users", () => {
  const emulator = useEmulator({ pageSize: 2, quotas: { users: 8 } }, { scope: "all" });

  test("USER-01 CreateUser returns {} and DescribeUsers shows the user enabled, with names, status, ARN and CreatedTime", async () => {
    const out = await emulator().client.send(new CreateUserCommand({ UserName: "alice@example.com", AuthenticationType: POOL, FirstName: "Alice", LastName: "Doe" }));
    expect(Object.keys(out).filter((k) => k !== "$metadata")).toEqual([]);
    const alice = (await allUsers(emulator())).users.find((u) => u.UserName === "alice@example.com");
    expect(alice).toMatchObject({
      UserName: "alice@example.com",
      FirstName: "Alice",
      LastName: "Doe",
      Enabled: true,
      Status: "UNCONFIRMED",
      AuthenticationType: POOL,
      Arn: "arn:aws:appstream:us-east-1:123456789012:user/userpool/alice@example.com",
    });
    expect(alice?.CreatedTime).toBeInstanceOf(Date);
  });

  test("USER-02 user names are case-sensitive: Alice@… and alice@… are two users; an exact duplicate → ResourceAlreadyExistsException", async () => {
    await emulator().client.send(new CreateUserCommand({ UserName: "Alice@example.com", AuthenticationType: POOL }));
    const names = (await allUsers(emulator())).users.map((u) => u.UserName);
    expect(names).toEqual(expect.arrayContaining(["alice@example.com", "Alice@example.com"]));
    const dup = await errorOf(() => emulator().client.send(new CreateUserCommand({ UserName: "alice@example.com", AuthenticationType: POOL })));
    expect(dup.name).toBe("ResourceAlreadyExistsException");
  });

  test("USER-03 an AuthenticationType other than USERPOOL → InvalidParameterCombinationException where modeled (Create/DescribeUsers), else the user is not found", async () => {
    for (const cmd of [
      new CreateUserCommand({ UserName: "bob@example.com", AuthenticationType: "SAML" }),
      new DescribeUsersCommand({ AuthenticationType: "API" }),
    ]) {
      expect((await errorOf(() => emulator().client.send(cmd as never))).name).toBe("InvalidParameterCombinationException");
    }
    for (const cmd of [
      new DeleteUserCommand({ UserName: "alice@example.com", AuthenticationType: "AWS_AD" }),
      new EnableUserCommand({ UserName: "alice@example.com", AuthenticationType: "SAML" }),
      new DisableUserCommand({ UserName: "alice@example.com", AuthenticationType: "SAML" }),
    ]) {
      expect((await errorOf(() => emulator().client.send(cmd as never))).name).toBe("ResourceNotFoundException");
    }
    expect((await allUsers(emulator())).users.find((u) => u.UserName === "alice@example.com")?.Enabled).toBe(true);
  });

  test("USER-04 MessageAction RESEND: with FirstName/LastName → InvalidParameterCombination; for an unknown user → OperationNotPermitted (CreateUser models no ResourceNotFound); otherwise {} and no new user", async () => {
    const names = await errorOf(() =>
      emulator().client.send(new CreateUserCommand({ UserName: "alice@example.com", AuthenticationType: POOL, MessageAction: "RESEND", FirstName: "A" })),
    );
    expect(names.name).toBe("InvalidParameterCombinationException");
    const unknown = await errorOf(() => emulator().client.send(new CreateUserCommand({ UserName: "ghost@example.com", AuthenticationType: POOL, MessageAction: "RESEND" })));
    expect(unknown.name).toBe("OperationNotPermittedException");
    const before = (await allUsers(emulator())).users.length;
    await emulator().client.send(new CreateUserCommand({ UserName: "alice@example.com", AuthenticationType: POOL, MessageAction: "RESEND" }));
    expect((await allUsers(emulator())).users.length).toBe(before);
    expect((await allUsers(emulator())).users.some((u) => u.UserName === "ghost@example.com")).toBe(false);
  });

  test("USER-05 DisableUser and EnableUser toggle Enabled; unknown users → ResourceNotFoundException (exact case)", async () => {
    await emulator().client.send(new DisableUserCommand({ UserName: "alice@example.com", AuthenticationType: POOL }));
    let users = (await allUsers(emulator())).users;
    expect(users.find((u) => u.UserName === "alice@example.com")?.Enabled).toBe(false);
    expect(users.find((u) => u.UserName === "Alice@example.com")?.Enabled).toBe(true);
    await emulator().client.send(new EnableUserCommand({ UserName: "alice@example.com", AuthenticationType: POOL }));
    users = (await allUsers(emulator())).users;
    expect(users.find((u) => u.UserName === "alice@example.com")?.Enabled).toBe(true);
    expect((await errorOf(() => emulator().client.send(new EnableUserCommand({ UserName: "ALICE@example.com", AuthenticationType: POOL })))).name).toBe(
      "ResourceNotFoundException",
    );
  });

  test("USER-06 DescribeUsers pages by MaxResults, else by the server page size, with no token on the last page", async () => {
    for (const n of ["u1", "u2", "u3"]) await emulator().client.send(new CreateUserCommand({ UserName: `${n}@example.com`, AuthenticationType: POOL }));
    const byServer = await allUsers(emulator());
    expect(byServer.users).toHaveLength(5);
    expect(byServer.pages).toBe(3);
    const byMax = await allUsers(emulator(), 4);
    expect(byMax.users.map((u) => u.UserName)).toEqual(byServer.users.map((u) => u.UserName));
    expect(byMax.pages).toBe(2);
  });

  test("USER-07 DeleteUser removes the user and its stack associations; deleting again → ResourceNotFoundException", async () => {
    await emulator().client.send(new CreateStackCommand({ Name: "user-stack" }));
    await emulator().client.send(
      new BatchAssociateUserStackCommand({ UserStackAssociations: [{ StackName: "user-stack", UserName: "u1@example.com", AuthenticationType: POOL }] }),
    );
    await emulator().client.send(new DeleteUserCommand({ UserName: "u1@example.com", AuthenticationType: POOL }));
    expect((await allUsers(emulator())).users.map((u) => u.UserName)).not.toContain("u1@example.com");
    const assoc = await emulator().client.send(new DescribeUserStackAssociationsCommand({ StackName: "user-stack" }));
    expect(assoc.UserStackAssociations).toEqual([]);
    const again = await errorOf(() => emulator().client.send(new DeleteUserCommand({ UserName: "u1@example.com", AuthenticationType: POOL })));
    expect(again.name).toBe("ResourceNotFoundException");
  });

  test("USER-08 beyond the users quota → LimitExceededException", async () => {
    // 4 users exist; the quota is 8.
    for (const n of ["q1", "q2", "q3", "q4"]) await emulator().client.send(new CreateUserCommand({ UserName: `${n}@example.com`, AuthenticationType: POOL }));
    const err = await errorOf(() => emulator().client.send(new CreateUserCommand({ UserName: "q5@example.com", AuthenticationType: POOL })));
    expect(err.name).toBe("LimitExceededException");
  });

  test("USER-09 a user name that is not the model's Username (e.g. with spaces) → ValidationException without echoing the value", async () => {
    const err = await errorOf(() => emulator().client.send(new CreateUserCommand({ UserName: "a b@example.com", AuthenticationType: POOL })));
    expect(err.name).toBe("ValidationException");
    expect(err.message).toContain("Value at 'userName' failed to satisfy constraint");
    expect(err.message).not.toContain("a b@example.com");
  });
});
