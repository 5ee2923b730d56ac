/**
 * The AWS CLI as an independent client (issue #3 "Must show"): botocore's own serialiser, parser and
 * paginator against `appstreamctl emulator` started as a child process. Runs from dist/, so
 * `npm run build` first. Skipped, with a message, only when `aws` is not on PATH.
 */
import { describe, expect, test } from "vitest";
import { awsCliSkipReason, useAwsCli } from "./aws-cli-helpers.js";
import { calls, control } from "./helpers.js";

const skipReason = awsCliSkipReason();
if (skipReason) console.warn(`aws-cli.test.ts skipped: ${skipReason}`);

const IMAGE = "AppStream-WinServer2022-11-12-2025";

describe.skipIf(skipReason !== "")(`the AWS CLI against appstreamctl emulator${skipReason ? ` (skipped: ${skipReason})` : ""}`, () => {
  const cli = useAwsCli("appstream");
  const { aws, awsError } = cli;

  test("CLI-04 create-stack and create-fleet; describe-fleets follows NextToken across pages of 2 and returns every fleet", async () => {
    const stack = await aws("create-stack", "--name", "cli-stack", "--description", "from the AWS CLI");
    expect(stack.Stack).toMatchObject({ Name: "cli-stack", Description: "from the AWS CLI", Arn: "arn:aws:appstream:us-east-1:123456789012:stack/cli-stack" });
    for (const n of ["f1", "f2", "f3", "f4", "f5"]) {
      const fleet = await aws("create-fleet", "--name", n, "--instance-type", "stream.standard.medium", "--image-name", IMAGE, "--compute-capacity", "DesiredInstances=1");
      expect(fleet.Fleet).toMatchObject({ Name: n, State: "STOPPED", ImageName: IMAGE });
      // CLI v1 prints the wire value (epoch seconds); v2 an ISO string. Either way it parses as now-ish.
      const created = typeof fleet.Fleet.CreatedTime === "number" ? fleet.Fleet.CreatedTime * 1000 : Date.parse(fleet.Fleet.CreatedTime);
      expect(Math.abs(created - Date.now())).toBeLessThan(600_000);
    }
    await fetch(`${cli.url()}/_emulator/calls`, { method: "DELETE" });
    const all = await aws("describe-fleets");
    expect(all.Fleets.map((f: { Name: string }) => f.Name).sort()).toEqual(["f1", "f2", "f3", "f4", "f5"]);
    expect(all.NextToken).toBeUndefined();
    const describeCalls = (await calls(cli.url())).filter((c) => c.operation === "DescribeFleets");
    expect(describeCalls).toHaveLength(3);
  });

  test("CLI-04 start-fleet and associate-fleet; an unknown fleet name fails with ResourceNotFoundException", async () => {
    expect(await aws("start-fleet", "--name", "f1")).toEqual({});
    const f1 = await aws("describe-fleets", "--names", "f1");
    expect(f1.Fleets[0].State).toBe("RUNNING");
    await aws("associate-fleet", "--stack-name", "cli-stack", "--fleet-name", "f1");
    const listed = await aws("list-associated-fleets", "--stack-name", "cli-stack");
    expect(listed.Names).toEqual(["f1"]);
    expect(await awsError("describe-fleets", "--names", "nope")).toContain("ResourceNotFoundException");
  });

  test("UA-01 create-user, batch-associate-user-stack (lowercase errors) and describe-user-stack-associations", async () => {
    for (const u of ["ann@example.com", "bob@example.com", "cat@example.com"]) {
      await aws("create-user", "--user-name", u, "--authentication-type", "USERPOOL");
    }
    const batch = await aws(
      "batch-associate-user-stack",
      "--user-stack-associations",
      ...["ann", "bob", "cat", "dan"].map((u) => `StackName=cli-stack,UserName=${u}@example.com,AuthenticationType=USERPOOL`),
    );
    expect(batch.errors).toHaveLength(1);
    expect(batch.errors[0]).toMatchObject({ ErrorCode: "USER_NAME_NOT_FOUND", UserStackAssociation: { UserName: "dan@example.com" } });
    const described = await aws("describe-user-stack-associations", "--stack-name", "cli-stack");
    expect(described.UserStackAssociations.map((a: { UserName: string }) => a.UserName)).toEqual(["ann@example.com", "bob@example.com", "cat@example.com"]);
    expect(described.UserStackAssociations[0]).toEqual({ StackName: "cli-stack", UserName: "ann@example.com", AuthenticationType: "USERPOOL" });
    expect(await awsError("describe-user-stack-associations")).toContain("InvalidParameterCombinationException");
  });

  test("IPERM-01 update-image-permissions and describe-image-permissions with the camelCase members", async () => {
    await aws("create-image-builder", "--name", "cli-ib", "--instance-type", "stream.standard.small", "--image-name", IMAGE);
    const made = await control(cli.url(), "POST", "images", { builderName: "cli-ib", imageName: "cli-image" });
    expect(made.status).toBe(200);
    await aws("update-image-permissions", "--name", "cli-image", "--shared-account-id", "210987654321", "--image-permissions", "allowFleet=true,allowImageBuilder=false");
    const perms = await aws("describe-image-permissions", "--name", "cli-image");
    expect(perms).toEqual({
      Name: "cli-image",
      SharedImagePermissionsList: [{ sharedAccountId: "210987654321", imagePermissions: { allowFleet: true, allowImageBuilder: false } }],
    });
    const images = await aws("describe-images", "--type", "PRIVATE");
    expect(images.Images.map((i: { Name: string }) => i.Name)).toEqual(["cli-image"]);
    expect(images.Images[0].ImageSharedWithOthers).toBe("TRUE");
  });

  test("VAL-01 a model violation sent by botocore comes back as ValidationException with AWS's message", async () => {
    const stderr = await awsError("create-stack", "--name", "bad name");
    expect(stderr).toContain("ValidationException");
    expect(stderr).toContain("1 validation error detected: Value 'bad name' at 'name' failed to satisfy constraint");
  });
  test("TAGAPI-08 resourcegroupstaggingapi get-resources follows its pages (--page-size 1 → ResourcesPerPage 1) and filters by AppStream type", async () => {
    await aws("create-stack", "--name", "tag-s1", "--tags", "team=a");
    await aws("create-stack", "--name", "tag-s2", "--tags", "team=b");
    await fetch(`${cli.url()}/_emulator/calls`, { method: "DELETE" });
    const out = await cli.other("resourcegroupstaggingapi").aws(
      "get-resources", "--resource-type-filters", "appstream:stack", "--tag-filters", "Key=team", "--page-size", "1",
    );
    expect(out.ResourceTagMappingList).toEqual([
      { ResourceARN: "arn:aws:appstream:us-east-1:123456789012:stack/tag-s1", Tags: [{ Key: "team", Value: "a" }] },
      { ResourceARN: "arn:aws:appstream:us-east-1:123456789012:stack/tag-s2", Tags: [{ Key: "team", Value: "b" }] },
    ]);
    expect((await calls(cli.url())).map((c) => c.operation)).toEqual(["tagging:GetResources", "tagging:GetResources"]);
  });
});
