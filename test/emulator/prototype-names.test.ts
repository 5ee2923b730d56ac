/**
 * Names and keys that come from requests are ordinary strings: nothing the emulator keys by user input
 * inherits from Object.prototype, in memory or after a state file is read back.
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  CreateDirectoryConfigCommand, CreateImageBuilderCommand, CreateStackCommand, CreateUserCommand, DeleteStackCommand, DeleteUserCommand,
  DescribeDirectoryConfigsCommand, DescribeFleetsCommand, DescribeImageBuildersCommand, DescribeStacksCommand, DescribeUsersCommand,
  ListTagsForResourceCommand, TagResourceCommand, UntagResourceCommand,
} from "@aws-sdk/client-appstream";
import { describe, expect, it } from "vitest";
import { startEmulator } from "../../src/emulator/index.js";
import { clientOf, createFleet, errorOf, fleetInput, useEmulator } from "./helpers.js";

/** Names every plain object answers to; `__proto__` is not a valid resource name, but is a valid user name. */
const NAMES = ["constructor", "toString", "hasOwnProperty", "valueOf"];
const ARN = "arn:aws:appstream:us-east-1:123456789012";

/** A tag map with own keys named like Object.prototype members (`__proto__` defined, not assigned). */
function prototypeTags(): Record<string, string> {
  const tags: Record<string, string> = { constructor: "c", toString: "t" };
  Object.defineProperty(tags, "__proto__", { value: "p", enumerable: true, writable: true, configurable: true });
  return tags;
}


describe("PROTO-12: names and keys are plain strings", () => {
  const emulator = useEmulator();

  it("PROTO-12 a name like an Object.prototype member is not found before it is created, then works like any name", async () => {
    const c = emulator().client;
    for (const name of NAMES) {
      expect((await errorOf(() => c.send(new DescribeFleetsCommand({ Names: [name] })))).name).toBe("ResourceNotFoundException");
      expect((await errorOf(() => c.send(new DescribeStacksCommand({ Names: [name] })))).name).toBe("ResourceNotFoundException");
      expect((await errorOf(() => c.send(new DeleteStackCommand({ Name: name })))).name).toBe("ResourceNotFoundException");
    }
    for (const name of NAMES) {
      await createFleet(c, fleetInput(name));
      await c.send(new CreateStackCommand({ Name: name }));
      await c.send(new CreateImageBuilderCommand({ Name: name, InstanceType: "stream.standard.medium", ImageName: "AppStream-WinServer2022-11-12-2025" }));
      await c.send(new CreateDirectoryConfigCommand({ DirectoryName: name, OrganizationalUnitDistinguishedNames: ["OU=x"] }));
    }
    const sorted = [...NAMES].sort((a, b) => a.localeCompare(b));
    expect((await c.send(new DescribeFleetsCommand({}))).Fleets?.map((f) => f.Name).sort()).toEqual(sorted);
    expect((await c.send(new DescribeFleetsCommand({ Names: ["toString"] }))).Fleets?.map((f) => [f.Name, f.InstanceType])).toEqual([["toString", "stream.standard.medium"]]);
    expect((await c.send(new DescribeStacksCommand({ Names: ["constructor"] }))).Stacks?.map((s) => s.Name)).toEqual(["constructor"]);
    expect((await c.send(new DescribeImageBuildersCommand({ Names: ["hasOwnProperty"] }))).ImageBuilders?.map((b) => b.Name)).toEqual(["hasOwnProperty"]);
    expect((await c.send(new DescribeDirectoryConfigsCommand({ DirectoryNames: ["valueOf"] }))).DirectoryConfigs?.map((d) => d.DirectoryName)).toEqual(["valueOf"]);
    await c.send(new DeleteStackCommand({ Name: "constructor" }));
    expect((await errorOf(() => c.send(new DescribeStacksCommand({ Names: ["constructor"] })))).name).toBe("ResourceNotFoundException");
    expect((await c.send(new DescribeStacksCommand({}))).Stacks?.map((s) => s.Name).sort()).toEqual(sorted.filter((n) => n !== "constructor"));
  });

  it("PROTO-12 users named __proto__ and constructor are two users, listed and deleted by name", async () => {
    const c = emulator().client;
    for (const name of ["__proto__", "constructor"]) await c.send(new CreateUserCommand({ UserName: name, AuthenticationType: "USERPOOL" }));
    const users = async () => (await c.send(new DescribeUsersCommand({ AuthenticationType: "USERPOOL" }))).Users?.map((u) => u.UserName).sort();
    expect(await users()).toEqual(["__proto__", "constructor"]);
    await c.send(new DeleteUserCommand({ UserName: "__proto__", AuthenticationType: "USERPOOL" }));
    expect(await users()).toEqual(["constructor"]);
    expect((await errorOf(() => c.send(new DeleteUserCommand({ UserName: "toString", AuthenticationType: "USERPOOL" })))).name).toBe("ResourceNotFoundException");
  });

  it("PROTO-12 tag keys __proto__, constructor and toString are stored, listed and removed as keys", async () => {
    const c = emulator().client;
    await c.send(new CreateStackCommand({ Name: "s", Tags: prototypeTags() }));
    const arn = `${ARN}:stack/s`;
    const listed = async () => (await c.send(new ListTagsForResourceCommand({ ResourceArn: arn }))).Tags ?? {};
    expect(Object.entries(await listed()).sort()).toEqual([["__proto__", "p"], ["constructor", "c"], ["toString", "t"]]);
    await c.send(new TagResourceCommand({ ResourceArn: arn, Tags: { hasOwnProperty: "h", constructor: "c2" } }));
    await c.send(new UntagResourceCommand({ ResourceArn: arn, TagKeys: ["__proto__", "toString"] }));
    expect(Object.entries(await listed()).sort()).toEqual([["constructor", "c2"], ["hasOwnProperty", "h"]]);
  });

  it("PROTO-12 an ARN whose resource type is an Object.prototype member names no resource", async () => {
    const err = await errorOf(() => emulator().client.send(new ListTagsForResourceCommand({ ResourceArn: `${ARN}:constructor/x` })));
    expect(err.name).toBe("ResourceNotFoundException");
  });

  it("PROTO-12 the same names and tag keys survive a state file written and read back", async () => {
    const file = join(mkdtempSync(join(tmpdir(), "appstreamctl-proto-")), "state.json");
    const a = await startEmulator({ stateFile: file, timeScale: 0 });
    const ca = clientOf(a.url);
    await ca.send(new CreateStackCommand({ Name: "toString", Tags: prototypeTags() }));
    await ca.send(new CreateUserCommand({ UserName: "__proto__", AuthenticationType: "USERPOOL" }));
    ca.destroy();
    await a.close();

    const b = await startEmulator({ stateFile: file, timeScale: 0 });
    const cb = clientOf(b.url);
    try {
      expect((await cb.send(new DescribeStacksCommand({}))).Stacks?.map((s) => s.Name)).toEqual(["toString"]);
      expect((await errorOf(() => cb.send(new DescribeStacksCommand({ Names: ["constructor"] })))).name).toBe("ResourceNotFoundException");
      const tags = (await cb.send(new ListTagsForResourceCommand({ ResourceArn: `${ARN}:stack/toString` }))).Tags ?? {};
      expect(Object.entries(tags).sort()).toEqual([["__proto__", "p"], ["constructor", "c"], ["toString", "t"]]);
      expect((await cb.send(new DescribeUsersCommand({ AuthenticationType: "USERPOOL" }))).Users?.map((u) => u.UserName)).toEqual(["__proto__"]);
    } finally {
      cb.destroy();
      await b.close();
    }
  });
});
