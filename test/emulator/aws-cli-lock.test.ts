/**
 * The AWS CLI against the DynamoDB and STS slices of `appstreamctl emulator` (botocore's own serialisers
 * for JSON 1.0 and the Query protocol). Runs from dist/, so `npm run build` first; skipped, with a
 * message, only when `aws` is not on PATH or dist/ is missing.
 */
import { describe, expect, test } from "vitest";
import { awsCliSkipReason, useAwsCli } from "./aws-cli-helpers.js";

const skipReason = awsCliSkipReason();
if (skipReason) console.warn(`aws-cli-lock.test.ts skipped: ${skipReason}`);

describe.skipIf(skipReason !== "")(`the AWS CLI against the emulator's DynamoDB and STS${skipReason ? ` (skipped: ${skipReason})` : ""}`, () => {
  // STS builds the caller's identity from the access key.
  const cli = useAwsCli("dynamodb", ["--time-scale", "0", "--account", "111122223333"], { env: { AWS_ACCESS_KEY_ID: "clikey" } });
  const { aws, awsError } = cli;

  test("DDB-08 create-table, put-item with attribute_not_exists twice, get-item, delete-item", async () => {
    const table = await aws("create-table", "--table-name", "cli-locks", "--billing-mode", "PAY_PER_REQUEST",
      "--key-schema", "AttributeName=LockID,KeyType=HASH", "--attribute-definitions", "AttributeName=LockID,AttributeType=S");
    expect(table.TableDescription).toMatchObject({ TableName: "cli-locks", TableStatus: "ACTIVE", TableArn: "arn:aws:dynamodb:us-east-1:111122223333:table/cli-locks" });
    const put = ["put-item", "--table-name", "cli-locks", "--item", '{"LockID":{"S":"k"},"Who":{"S":"cli"}}', "--condition-expression", "attribute_not_exists(LockID)"];
    expect(await aws(...put)).toEqual({});
    expect(await awsError(...put)).toContain("ConditionalCheckFailedException");
    const got = await aws("get-item", "--table-name", "cli-locks", "--key", '{"LockID":{"S":"k"}}', "--consistent-read");
    expect(got.Item).toEqual({ LockID: { S: "k" }, Who: { S: "cli" } });
    const old = await aws("delete-item", "--table-name", "cli-locks", "--key", '{"LockID":{"S":"k"}}', "--return-values", "ALL_OLD");
    expect(old.Attributes.Who).toEqual({ S: "cli" });
    expect(await awsError("describe-table", "--table-name", "nope")).toContain("ResourceNotFoundException");
  });

  test("STS-03 sts get-caller-identity answers the emulator's account", async () => {
    expect(await cli.other("sts").aws("get-caller-identity")).toEqual({ UserId: "AIDAEMULATORCLIKEY", Account: "111122223333", Arn: "arn:aws:iam::111122223333:user/clikey" });
  });
});
