/**
 * Named regressions of the round-trip classes about what one apply must settle: the order of steps the
 * service judges by other resources, a selector over images the same plan produces, and memberships of a
 * stack the manifest no longer lists. Each is applied against the emulator, planned again (must be a no-op)
 * and read back with raw SDK calls.
 */
import { BatchAssociateUserStackCommand, CreateStackCommand, CreateUserCommand, DescribeFleetsCommand, DescribeImagesCommand, DescribeUserStackAssociationsCommand } from "@aws-sdk/client-appstream";
import { afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { Plan } from "../../src/core/plan-types.js";
import { calls, startTestEmulator, type TestEmulator } from "../emulator/helpers.js";
import { changesOf } from "../e2e/apply-helpers.js";
import { cli, fakeAwsCredentials, writeManifest } from "../e2e/helpers.js";

beforeAll(fakeAwsCredentials);

const HEAD = "apiVersion: appstreamctl/v1\nmetadata: { name: order }\n";

let t: TestEmulator;
beforeEach(async () => (t = await startTestEmulator()));
afterEach(async () => t.close());

async function apply(body: string, ...flags: string[]): Promise<{ code: number; stdout: string; stderr: string; file: string }> {
  const file = writeManifest(HEAD + body);
  const r = await cli(t.emu.url, ["-f", file, "apply", "--auto-approve", "--allow-disruption", ...flags]);
  return { ...r, file };
}

async function plan(file: string): Promise<Plan> {
  const r = await cli(t.emu.url, ["-f", file, "-o", "json", "plan"]);
  expect(r.code, r.stderr).toBe(0);
  return JSON.parse(r.stdout) as Plan;
}

const membersOf = async (stack: string) =>
  ((await t.client.send(new DescribeUserStackAssociationsCommand({ StackName: stack }))).UserStackAssociations ?? []).map((a) => a.UserName).sort();

describe("round-trip order regressions", () => {
  it("joinedStackMove: a stack leaving a domain-joined fleet takes new user-pool members in the same apply", async () => {
    // Seen as a per-item INTERNAL_ERROR from BatchAssociateUserStack: the user was associated while the
    // stack still held the domain-joined fleet it was leaving.
    const estate = (fleet: string, users: string) => `directoryConfigs:
  - directoryName: corp.example.com
    organizationalUnitDistinguishedNames: ["OU=AppStream,DC=corp,DC=example,DC=com"]
    serviceAccountCredentials: { accountName: "CORP\\\\svc", accountPassword: "\${env:APPSTREAM_AD_PASSWORD}" }
fleets:
  - name: joined
    instanceType: stream.standard.small
    imageName: AppStream-WinServer2022-11-12-2025
    computeCapacity: { desiredInstances: 1 }
    domainJoinInfo: { directoryName: corp.example.com }
  - name: plain
    instanceType: stream.standard.small
    imageName: AppStream-WinServer2022-11-12-2025
    computeCapacity: { desiredInstances: 1 }
stacks:
  - name: s
    fleet: ${fleet}
${users}`;
    const first = await apply(estate("joined", "users:\n  - { userName: ann@example.com }\n"));
    expect(first.code, first.stderr).toBe(0);
    const before = (await calls(t.emu.url)).length;
    const r = await apply(estate("plain", "users:\n  - { userName: ann@example.com, stacks: [s] }\n"));
    expect(r.code, r.stderr).toBe(0);
    const order = (await calls(t.emu.url)).slice(before).filter((c) => c.mutating).map((c) => `${c.operation} ${c.outcome}`);
    const moves = order.filter((o) => /Fleet$|Fleet |UserStack/.test(o));
    expect([...moves].sort()).toEqual(["AssociateFleet ok", "BatchAssociateUserStack ok", "DisassociateFleet ok"]);
    expect(moves.indexOf("BatchAssociateUserStack ok")).toBeGreaterThan(moves.indexOf("DisassociateFleet ok"));
    expect(changesOf(await plan(r.file))).toEqual({});
    expect(await membersOf("s")).toEqual(["ann@example.com"]);
  });

  it("selectorNewestProduced: a newest-first selector over several images the plan creates is right after one apply", async () => {
    // Seen as a fleet moved by the second apply: the plan picked one of the new images, another was created
    // after it and was the newest once both existed.
    const imp = 'source: { importFromAmi: { sourceAmiId: ami-0123456789abcdef0, iamRoleArn: "arn:aws:iam::123456789012:role/import" } }';
    const body = `images:
  - { name: img-c, ${imp} }
  - { name: img-a, ${imp} }
  - { name: img-b, ${imp} }
fleets:
  - name: f
    instanceType: stream.standard.medium
    imageSelector: { nameRegex: "^img-", type: PRIVATE, newest: true }
    computeCapacity: { desiredInstances: 1 }
    state: stopped
`;
    // The pick is created only once the others are AVAILABLE: sent together, their CreatedTime could tie.
    const planned = await plan(writeManifest(HEAD + body));
    const steps = (image: string) => planned.steps.filter((s) => s.address === `Image/${image}`);
    expect(steps("img-b")[0]!.dependsOn).toEqual([steps("img-c").at(-1)!.id, steps("img-a").at(-1)!.id]);
    expect(steps("img-a")[0]!.dependsOn).toEqual([]);
    const r = await apply(body);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain("img-b (produced by this plan, created after img-c, img-a so that it is the newest: waited for until AVAILABLE)");
    const imports = (await calls(t.emu.url)).filter((c) => c.operation === "CreateImportedImage").map((c) => c.resource);
    expect(imports.at(-1)).toBe("img-b");
    expect((await t.client.send(new DescribeFleetsCommand({ Names: ["f"] }))).Fleets![0]!.ImageName).toBe("img-b");
    const images = (await t.client.send(new DescribeImagesCommand({ Names: ["img-a", "img-b", "img-c"] }))).Images!;
    const newest = images.reduce((a, b) => (b.CreatedTime!.getTime() > a.CreatedTime!.getTime() ? b : a));
    expect(newest.Name).toBe("img-b");
    expect(changesOf(await plan(r.file))).toEqual({});
  });

  it("droppedStackMembership: a declared user's membership of a stack dropped from the manifest is removed without --prune", async () => {
    // Seen as "No changes" while the user was still on a stack its `stacks` no longer listed: memberships
    // were read only per declared stack.
    await t.client.send(new CreateStackCommand({ Name: "elsewhere" }));
    await t.client.send(new CreateUserCommand({ UserName: "bob@example.com", AuthenticationType: "USERPOOL" }));
    await t.client.send(new BatchAssociateUserStackCommand({ UserStackAssociations: [{ StackName: "elsewhere", UserName: "bob@example.com", AuthenticationType: "USERPOOL" }] }));
    const first = await apply("stacks:\n  - { name: kept }\n  - { name: dropped }\nusers:\n  - { userName: ann@example.com, stacks: [kept, dropped] }\n");
    expect(first.code, first.stderr).toBe(0);
    await t.client.send(new BatchAssociateUserStackCommand({ UserStackAssociations: [{ StackName: "dropped", UserName: "bob@example.com", AuthenticationType: "USERPOOL" }] }));
    const before = (await calls(t.emu.url)).length;
    const file = writeManifest(`${HEAD}stacks:\n  - { name: kept }\nusers:\n  - { userName: ann@example.com, stacks: [kept] }\n`);
    expect(changesOf(await plan(file))).toEqual({ "UserAssociation/dropped/ann@example.com": "delete" });
    const r = await cli(t.emu.url, ["-f", file, "apply", "--auto-approve", "--allow-disruption"]);
    expect(r.code, r.stderr).toBe(0);
    expect(changesOf(await plan(file))).toEqual({});
    expect(await membersOf("dropped")).toEqual(["bob@example.com"]);
    expect(await membersOf("kept")).toEqual(["ann@example.com"]);
    // The dropped stack stays (no --prune); no call names the stack this set does not own.
    const log = (await calls(t.emu.url)).slice(before);
    expect(log.filter((c) => c.operation === "DeleteStack")).toEqual([]);
    expect(log.filter((c) => (c.resource ?? "").includes("elsewhere"))).toEqual([]);
    expect([...new Set(log.filter((c) => c.operation === "DescribeUserStackAssociations").map((c) => c.resource))].sort()).toEqual(["dropped", "kept"]);
  });

  it("selectorNewestProduced: a selector never resolves to an image the same plan --prune deletes", async () => {
    // Seen as an image left live after its entry was deleted: the selector still picked it (the newest),
    // so the fleet kept it in use and the delete was dropped.
    const imp = 'source: { importFromAmi: { sourceAmiId: ami-0123456789abcdef0, iamRoleArn: "arn:aws:iam::123456789012:role/import" } }';
    const estate = (images: string[]) => `images:
${images.map((i) => `  - { name: ${i}, ${imp} }\n`).join("")}fleets:
  - name: f
    instanceType: stream.standard.medium
    imageSelector: { nameRegex: "^img-", type: PRIVATE }
    computeCapacity: { desiredInstances: 1 }
    state: stopped
`;
    expect((await apply(estate(["img-a", "img-b"]))).code).toBe(0);
    expect((await t.client.send(new DescribeFleetsCommand({ Names: ["f"] }))).Fleets![0]!.ImageName).toBe("img-b");
    const r = await apply(estate(["img-a"]), "--prune");
    expect(r.code, r.stderr).toBe(0);
    expect((await t.client.send(new DescribeFleetsCommand({ Names: ["f"] }))).Fleets![0]!.ImageName).toBe("img-a");
    expect((await t.client.send(new DescribeImagesCommand({ Type: "PRIVATE" }))).Images!.map((i) => i.Name)).toEqual(["img-a"]);
    expect(changesOf(await plan(r.file))).toEqual({});
  });
});
