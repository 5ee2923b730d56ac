/**
 * The AWS CLI against the app block and app block builder operations of `appstreamctl emulator` (botocore's
 * own serialiser and parser): each of the 13 operations once, in the order a user packages an app block.
 * Runs from dist/, so `npm run build` first; skipped, with a message, only when `aws` is not on PATH or
 * dist/ is missing.
 */
import { describe, expect, test } from "vitest";
import { awsCliSkipReason, useAwsCli } from "./aws-cli-helpers.js";
import { calls } from "./helpers.js";

const skipReason = awsCliSkipReason();
if (skipReason) console.warn(`aws-cli-app-blocks.test.ts skipped: ${skipReason}`);

const BLOCK_ARN = "arn:aws:appstream:us-east-1:123456789012:app-block/cli-pkg";

describe.skipIf(skipReason !== "")(`the AWS CLI against the emulator's app blocks and app block builders${skipReason ? ` (skipped: ${skipReason})` : ""}`, () => {
  const cli = useAwsCli("appstream");
  const { aws, awsError } = cli;

  test("AB-01 AB-02 AB-08 create-app-block (CUSTOM and APPSTREAM2) and describe-app-blocks with --arns and --max-results/--next-token", async () => {
    const custom = await aws("create-app-block", "--name", "cli-custom", "--source-s3-location", "S3Bucket=apps,S3Key=custom.vhdx",
      "--setup-script-details", JSON.stringify({ ScriptS3Location: { S3Bucket: "apps", S3Key: "setup.ps1" }, ExecutablePath: "setup.exe", TimeoutInSeconds: 60 }));
    expect(custom.AppBlock).toMatchObject({ Name: "cli-custom", PackagingType: "CUSTOM", State: "ACTIVE", Arn: "arn:aws:appstream:us-east-1:123456789012:app-block/cli-custom" });
    const pkg = await aws("create-app-block", "--name", "cli-pkg", "--source-s3-location", "S3Bucket=apps", "--packaging-type", "APPSTREAM2");
    expect(pkg.AppBlock).toMatchObject({ Name: "cli-pkg", PackagingType: "APPSTREAM2", State: "INACTIVE", Arn: BLOCK_ARN });
    const one = await aws("describe-app-blocks", "--arns", BLOCK_ARN);
    expect(one.AppBlocks.map((b: { Name: string }) => b.Name)).toEqual(["cli-pkg"]);
    const first = await aws("describe-app-blocks", "--max-results", "1");
    expect(first.AppBlocks.map((b: { Name: string }) => b.Name)).toEqual(["cli-custom"]);
    const second = await aws("describe-app-blocks", "--max-results", "1", "--next-token", first.NextToken);
    expect(second.AppBlocks.map((b: { Name: string }) => b.Name)).toEqual(["cli-pkg"]);
    expect(second.NextToken).toBeUndefined();
    expect(await awsError("describe-app-blocks", "--arns", "arn:aws:appstream:us-east-1:123456789012:app-block/nope")).toContain("ResourceNotFoundException");
  });

  test("ABB-02 ABA-01 ABB-01 create-app-block-builder, associate-app-block-builder-app-block, describe-app-block-builder-app-block-associations, start-app-block-builder", async () => {
    const created = await aws("create-app-block-builder", "--name", "cli-abb", "--platform", "WINDOWS_SERVER_2019", "--instance-type", "stream.standard.medium",
      "--vpc-config", "SubnetIds=subnet-a,subnet-b,SecurityGroupIds=sg-1", "--tags", "team=euc");
    expect(created.AppBlockBuilder).toMatchObject({ Name: "cli-abb", State: "STOPPED", Platform: "WINDOWS_SERVER_2019", VpcConfig: { SubnetIds: ["subnet-a", "subnet-b"], SecurityGroupIds: ["sg-1"] } });
    const assoc = await aws("associate-app-block-builder-app-block", "--app-block-builder-name", "cli-abb", "--app-block-arn", BLOCK_ARN);
    expect(assoc.AppBlockBuilderAppBlockAssociation).toEqual({ AppBlockArn: BLOCK_ARN, AppBlockBuilderName: "cli-abb" });
    const listed = await aws("describe-app-block-builder-app-block-associations", "--app-block-builder-name", "cli-abb");
    expect(listed.AppBlockBuilderAppBlockAssociations).toEqual([{ AppBlockArn: BLOCK_ARN, AppBlockBuilderName: "cli-abb" }]);
    expect((await aws("start-app-block-builder", "--name", "cli-abb")).AppBlockBuilder.State).toBe("STARTING");
  });

  test("ABB-12 AB-05 describe-app-block-builders, create-app-block-builder-streaming-url; stop-app-block-builder packages the block", async () => {
    const described = await aws("describe-app-block-builders", "--names", "cli-abb");
    expect(described.AppBlockBuilders[0].State).toBe("RUNNING");
    const url = await aws("create-app-block-builder-streaming-url", "--app-block-builder-name", "cli-abb", "--validity", "600");
    expect(url.StreamingURL).toMatch(/^https:\/\/appstream2\.us-east-1\.aws\.amazon\.com\/authenticate\?parameters=/);
    expect(url.Expires).toBeDefined();
    expect((await aws("stop-app-block-builder", "--name", "cli-abb")).AppBlockBuilder.State).toBe("STOPPING");
    expect((await aws("describe-app-blocks", "--arns", BLOCK_ARN)).AppBlocks[0].State).toBe("ACTIVE");
  });

  test("ABB-08 ABB-11 ABA-05 update-app-block-builder with --attributes-to-delete; delete refused while associated; disassociate-app-block-builder-app-block", async () => {
    const updated = await aws("update-app-block-builder", "--name", "cli-abb", "--description", "packager", "--attributes-to-delete", "VPC_CONFIGURATION_SECURITY_GROUP_IDS");
    expect(updated.AppBlockBuilder).toMatchObject({ Description: "packager", VpcConfig: { SubnetIds: ["subnet-a", "subnet-b"] } });
    expect(updated.AppBlockBuilder.VpcConfig.SecurityGroupIds).toBeUndefined();
    expect(await awsError("delete-app-block-builder", "--name", "cli-abb")).toContain("ResourceInUseException");
    expect(await aws("disassociate-app-block-builder-app-block", "--app-block-builder-name", "cli-abb", "--app-block-arn", BLOCK_ARN)).toEqual({});
  });

  test("ABB-11 AB-04 delete-app-block-builder and delete-app-block; every one of the 13 operations was answered", async () => {
    expect(await aws("delete-app-block-builder", "--name", "cli-abb")).toEqual({});
    expect(await aws("delete-app-block", "--name", "cli-pkg")).toEqual({});
    expect(await awsError("describe-app-block-builders", "--names", "cli-abb")).toContain("ResourceNotFoundException");
    const ops = new Set((await calls(cli.url())).filter((c) => c.outcome === "ok").map((c) => c.operation));
    for (const op of [
      "CreateAppBlock", "DescribeAppBlocks", "DeleteAppBlock", "CreateAppBlockBuilder", "UpdateAppBlockBuilder", "DescribeAppBlockBuilders",
      "DeleteAppBlockBuilder", "StartAppBlockBuilder", "StopAppBlockBuilder", "AssociateAppBlockBuilderAppBlock",
      "DisassociateAppBlockBuilderAppBlock", "DescribeAppBlockBuilderAppBlockAssociations", "CreateAppBlockBuilderStreamingURL",
    ]) {
      expect(ops.has(op), op).toBe(true);
    }
  });
});
