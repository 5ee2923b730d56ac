import {
  CreateFleetCommand,
  CreateStackCommand,
  DescribeStacksCommand,
  ListTagsForResourceCommand,
  TagResourceCommand,
  UntagResourceCommand,
  UpdateStackCommand,
} from "@aws-sdk/client-appstream";
import { expect, test } from "vitest";
import { errorOf, fleetInput, rawCall, useEmulator } from "./helpers.js";

let fleetArn: string;
let stackArn: string;
const emulator = useEmulator({}, {
  setUp: async (t) => {
    fleetArn = (await t.client.send(new CreateFleetCommand(fleetInput("f") as never))).Fleet!.Arn!;
    stackArn = (await t.client.send(new CreateStackCommand({ Name: "s", Tags: { created: "yes" } }))).Stack!.Arn!;
  },
});

const tagsOf = async (ResourceArn: string) => (await emulator().client.send(new ListTagsForResourceCommand({ ResourceArn }))).Tags;

test("TAG-01 TagResource adds and overwrites; an omitted value is stored as an empty string", async () => {
  await emulator().client.send(new TagResourceCommand({ ResourceArn: fleetArn, Tags: { a: "1", b: "2" } }));
  await emulator().client.send(new TagResourceCommand({ ResourceArn: fleetArn, Tags: { b: "3", c: "4" } }));
  expect(await tagsOf(fleetArn)).toEqual({ a: "1", b: "3", c: "4" });
  const res = await rawCall(emulator().emu.url, "PhotonAdminProxyService.TagResource", JSON.stringify({ ResourceArn: stackArn, Tags: { empty: "" } }));
  expect(res.status).toBe(200);
  expect(await tagsOf(stackArn)).toEqual({ created: "yes", empty: "" });
});

test("TAG-02 UntagResource removes the given keys and ignores unknown ones", async () => {
  await emulator().client.send(new TagResourceCommand({ ResourceArn: fleetArn, Tags: { a: "1", b: "2" } }));
  await emulator().client.send(new UntagResourceCommand({ ResourceArn: fleetArn, TagKeys: ["a", "zzz"] }));
  expect(await tagsOf(fleetArn)).toEqual({ b: "2" });
  await emulator().client.send(new UntagResourceCommand({ ResourceArn: fleetArn, TagKeys: ["b"] }));
  expect(await tagsOf(fleetArn)).toEqual({});
});

test("TAG-03 unknown ARNs (other name, region, account, public image) → ResourceNotFoundException", async () => {
  for (const arn of [
    "arn:aws:appstream:us-east-1:123456789012:fleet/ghost",
    "arn:aws:appstream:eu-west-1:123456789012:fleet/f",
    "arn:aws:appstream:us-east-1:210987654321:fleet/f",
    "arn:aws:appstream:us-east-1::image/AppStream-WinServer2022-11-12-2025",
  ]) {
    expect((await errorOf(() => tagsOf(arn))).name).toBe("ResourceNotFoundException");
    expect((await errorOf(() => emulator().client.send(new TagResourceCommand({ ResourceArn: arn, Tags: { a: "1" } })))).name).toBe("ResourceNotFoundException");
    expect((await errorOf(() => emulator().client.send(new UntagResourceCommand({ ResourceArn: arn, TagKeys: ["a"] })))).name).toBe("ResourceNotFoundException");
  }
});

test("TAG-04 more than 50 tags after a merge → LimitExceededException", async () => {
  const batch = (from: number, n: number) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`k${from + i}`, "v"]));
  await emulator().client.send(new TagResourceCommand({ ResourceArn: fleetArn, Tags: batch(0, 40) }));
  await emulator().client.send(new TagResourceCommand({ ResourceArn: fleetArn, Tags: batch(40, 10) }));
  const err = await errorOf(() => emulator().client.send(new TagResourceCommand({ ResourceArn: fleetArn, Tags: batch(50, 1) })));
  expect(err.name).toBe("LimitExceededException");
  expect(Object.keys((await tagsOf(fleetArn)) ?? {})).toHaveLength(50);
});

test("TAG-05 keys starting with aws: → ValidationException", async () => {
  const err = await errorOf(() => emulator().client.send(new TagResourceCommand({ ResourceArn: fleetArn, Tags: { "aws:owner": "x" } })));
  expect(err.name).toBe("ValidationException");
  const err2 = await errorOf(() => emulator().client.send(new CreateStackCommand({ Name: "s2", Tags: { "aws:cloudformation": "x" } })));
  expect(err2.name).toBe("ValidationException");
});

test("TAG-06 Create* tags are stored but never echoed by Create, Describe or Update", async () => {
  expect(await tagsOf(stackArn)).toEqual({ created: "yes" });
  const described = await emulator().client.send(new DescribeStacksCommand({ Names: ["s"] }));
  expect(described.Stacks![0]).not.toHaveProperty("Tags");
  const updated = await emulator().client.send(new UpdateStackCommand({ Name: "s", DisplayName: "S" }));
  expect(updated.Stack).not.toHaveProperty("Tags");
  const raw = await rawCall(emulator().emu.url, "PhotonAdminProxyService.DescribeStacks", "{}");
  expect(raw.text).not.toContain("created");
});
