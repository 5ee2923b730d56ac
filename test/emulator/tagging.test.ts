import {
  CreateFleetCommand,
  CreateImageBuilderCommand,
  CreateStackCommand,
  DeleteStackCommand,
  DescribeFleetsCommand,
  DescribeImagesCommand,
  TagResourceCommand,
  UntagResourceCommand,
} from "@aws-sdk/client-appstream";
import { GetResourcesCommand, ResourceGroupsTaggingAPIClient, type GetResourcesCommandInput } from "@aws-sdk/client-resource-groups-tagging-api";
import { afterEach, beforeEach, expect, test } from "vitest";
import { calls, control, CREDENTIALS, errorOf, fleetInput, rawCall, useEmulator } from "./helpers.js";

const ACCOUNT = "123456789012";
const arn = (type: string, name: string) => `arn:aws:appstream:us-east-1:${ACCOUNT}:${type}/${name}`;

let tagging: ResourceGroupsTaggingAPIClient;
const emulator = useEmulator({}, {
  setUp: async (t) => {
    tagging = new ResourceGroupsTaggingAPIClient({ region: "us-east-1", endpoint: t.emu.url, credentials: CREDENTIALS, maxAttempts: 1 });
    await t.client.send(new CreateFleetCommand(fleetInput("f1", { Tags: { team: "a", env: "prod" } }) as never));
    await t.client.send(new CreateFleetCommand(fleetInput("f2") as never));
    await t.client.send(new CreateStackCommand({ Name: "s1", Tags: { team: "b" } }));
    await t.client.send(
      new CreateImageBuilderCommand({ Name: "b1", InstanceType: "stream.standard.medium", ImageName: "AppStream-WinServer2022-11-12-2025", Tags: { team: "a" } }),
    );
  },
});
afterEach(() => {
  tagging.destroy();
});

const get = async (input: GetResourcesCommandInput = {}) => tagging.send(new GetResourcesCommand(input));
const view = async (input: GetResourcesCommandInput = {}) =>
  (await get(input)).ResourceTagMappingList!.map((m) => ({ arn: m.ResourceARN, tags: Object.fromEntries((m.Tags ?? []).map((x) => [x.Key, x.Value])) }));

test("TAGAPI-01 lists tagged and previously tagged fleets, stacks and builders in ARN order; untagged ones and images are not listed", async () => {
  // A private image with tags is still not in the index.
  const images = await emulator().client.send(new DescribeImagesCommand({ Type: "PUBLIC", MaxResults: 1 }));
  expect(images.Images?.length).toBe(1);
  await emulator().client.send(new UntagResourceCommand({ ResourceArn: arn("stack", "s1"), TagKeys: ["team"] }));
  const out = await get();
  expect(out.PaginationToken).toBe("");
  expect(out.ResourceTagMappingList).toEqual([
    { ResourceARN: arn("fleet", "f1"), Tags: [{ Key: "env", Value: "prod" }, { Key: "team", Value: "a" }] },
    { ResourceARN: arn("image-builder", "b1"), Tags: [{ Key: "team", Value: "a" }] },
    { ResourceARN: arn("stack", "s1"), Tags: [] },
  ]);
  await emulator().client.send(new DeleteStackCommand({ Name: "s1" }));
  expect((await view()).map((r) => r.arn)).toEqual([arn("fleet", "f1"), arn("image-builder", "b1")]);
});

test("TAGAPI-02 ResourceTypeFilters keeps the listed AppStream types; a malformed filter is InvalidParameterException", async () => {
  expect((await view({ ResourceTypeFilters: ["appstream:fleet", "appstream:stack"] })).map((r) => r.arn)).toEqual([arn("fleet", "f1"), arn("stack", "s1")]);
  expect((await view({ ResourceTypeFilters: ["appstream:image-builder"] })).map((r) => r.arn)).toEqual([arn("image-builder", "b1")]);
  expect((await view({ ResourceTypeFilters: ["appstream"] })).length).toBe(3);
  expect(await view({ ResourceTypeFilters: ["appstream:image", "ec2:instance"] })).toEqual([]);
  const err = await errorOf(() => get({ ResourceTypeFilters: ["appstream fleet"] }));
  expect(err.name).toBe("InvalidParameterException");
  expect(err.$metadata?.httpStatusCode).toBe(400);
});

test("TAGAPI-03 TagFilters: every filter must match, a key with values matches any of them; a filter without Key is rejected", async () => {
  expect((await view({ TagFilters: [{ Key: "team", Values: ["a"] }] })).map((r) => r.arn)).toEqual([arn("fleet", "f1"), arn("image-builder", "b1")]);
  expect((await view({ TagFilters: [{ Key: "team", Values: ["a", "b"] }, { Key: "env" }] })).map((r) => r.arn)).toEqual([arn("fleet", "f1")]);
  expect((await view({ TagFilters: [{ Key: "team" }], ResourceTypeFilters: ["appstream:stack"] })).map((r) => r.arn)).toEqual([arn("stack", "s1")]);
  const res = await rawCall(emulator().emu.url, "ResourceGroupsTaggingAPI_20170126.GetResources", JSON.stringify({ TagFilters: [{ Values: ["a"] }] }));
  expect(res.status).toBe(400);
  expect(JSON.parse(res.text).__type).toBe("InvalidParameterException");
  expect(res.headers.get("x-amzn-errortype")).toBe("InvalidParameterException");
});

test("TAGAPI-04 pages of ResourcesPerPage with a token bound to the filters; the last page's token is empty", async () => {
  const first = await get({ ResourcesPerPage: 2 });
  expect(first.ResourceTagMappingList!.map((m) => m.ResourceARN)).toEqual([arn("fleet", "f1"), arn("image-builder", "b1")]);
  expect(first.PaginationToken).toMatch(/.+/);
  const second = await get({ ResourcesPerPage: 2, PaginationToken: first.PaginationToken! });
  expect(second.ResourceTagMappingList!.map((m) => m.ResourceARN)).toEqual([arn("stack", "s1")]);
  expect(second.PaginationToken).toBe("");
  expect((await errorOf(() => get({ ResourcesPerPage: 2, PaginationToken: first.PaginationToken!, ResourceTypeFilters: ["appstream:fleet"] }))).name).toBe(
    "InvalidParameterException",
  );
  expect((await errorOf(() => get({ ResourcesPerPage: 101 }))).name).toBe("InvalidParameterException");
  expect((await errorOf(() => get({ ResourcesPerPage: 0 }))).name).toBe("InvalidParameterException");
  // Without ResourcesPerPage the server page size (5) applies.
  expect((await get()).ResourceTagMappingList).toHaveLength(3);
});

test("TAGAPI-05 ResourceARNList returns the listed ARNs the index has; it combines with no filter or pagination member", async () => {
  expect((await view({ ResourceARNList: [arn("stack", "s1"), arn("fleet", "f2"), arn("fleet", "nope")] })).map((r) => r.arn)).toEqual([arn("stack", "s1")]);
  for (const extra of [{ ResourceTypeFilters: ["appstream"] }, { TagFilters: [{ Key: "team" }] }, { ResourcesPerPage: 5 }, { TagsPerPage: 100 }]) {
    expect((await errorOf(() => get({ ResourceARNList: [arn("stack", "s1")], ...extra }))).name).toBe("InvalidParameterException");
  }
  expect((await errorOf(() => get({ TagsPerPage: 99 }))).name).toBe("InvalidParameterException");
  const wrongType = await rawCall(emulator().emu.url, "ResourceGroupsTaggingAPI_20170126.GetResources", JSON.stringify({ ResourcesPerPage: "10" }));
  expect(JSON.parse(wrongType.text).__type).toBe("SerializationException");
  const tooMany = Array.from({ length: 101 }, (_, i) => arn("fleet", `x${i}`));
  expect((await errorOf(() => get({ ResourceARNList: tooMany }))).name).toBe("InvalidParameterException");
});

test("TAGAPI-06 tagIndexLag: new tags are missing and a deleted resource is still listed until the lag has passed", async () => {
  // The estate of beforeEach was tagged long enough ago for the index to have caught up.
  await control(emulator().emu.url, "POST", "clock", { advanceSeconds: 60 });
  expect((await control(emulator().emu.url, "POST", "faults", { spec: "tagIndexLag=5s" })).status).toBe(200);
  await emulator().client.send(new TagResourceCommand({ ResourceArn: arn("fleet", "f2"), Tags: { team: "c" } }));
  await emulator().client.send(new TagResourceCommand({ ResourceArn: arn("fleet", "f1"), Tags: { team: "z" } }));
  await emulator().client.send(new DeleteStackCommand({ Name: "s1" }));
  expect(await view({ ResourceTypeFilters: ["appstream:fleet", "appstream:stack"] })).toEqual([
    { arn: arn("fleet", "f1"), tags: { team: "a", env: "prod" } },
    { arn: arn("stack", "s1"), tags: { team: "b" } },
  ]);
  await control(emulator().emu.url, "POST", "clock", { advanceSeconds: 6 });
  expect(await view({ ResourceTypeFilters: ["appstream:fleet", "appstream:stack"] })).toEqual([
    { arn: arn("fleet", "f1"), tags: { team: "z", env: "prod" } },
    { arn: arn("fleet", "f2"), tags: { team: "c" } },
  ]);
});

test("TAGAPI-07 faults as the tagging service reports them: ThrottledException, InternalServiceException, AccessDeniedException; cme does not apply", async () => {
  const cases: Array<[string, string, number]> = [
    ["GetResources:throttle=1", "ThrottledException", 400],
    ["GetResources:500=1", "InternalServiceException", 500],
    ["GetResources:denied=1", "AccessDeniedException", 400],
  ];
  for (const [spec, type, status] of cases) {
    await control(emulator().emu.url, "POST", "faults", { spec });
    const err = await errorOf(() => get());
    expect([err.name, err.$metadata?.httpStatusCode]).toEqual([type, status]);
  }
  await control(emulator().emu.url, "POST", "faults", { spec: "GetResources:cme=1" });
  expect((await get()).ResourceTagMappingList).toHaveLength(3);
  await control(emulator().emu.url, "DELETE", "calls");
  await get();
  const log = await calls(emulator().emu.url);
  expect(log.map((c) => [c.operation, c.outcome, c.mutating])).toEqual([["tagging:GetResources", "ok", false]]);
});

test("FAULT-11 denied → AccessDeniedException (400) for the operation it names, others unaffected", async () => {
  await control(emulator().emu.url, "POST", "faults", { spec: "DescribeFleets:denied=1" });
  const err = await errorOf(() => emulator().client.send(new DescribeFleetsCommand({})));
  expect([err.name, err.$metadata?.httpStatusCode]).toEqual(["AccessDeniedException", 400]);
  expect((await view()).length).toBe(3);
});
