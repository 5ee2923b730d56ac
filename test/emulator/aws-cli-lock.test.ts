/**
 * The AWS CLI against the DynamoDB and STS slices of `appstreamctl emulator` (botocore's own serialisers
 * for JSON 1.0 and the Query protocol). Runs from dist/, so `npm run build` first; skipped, with a
 * message, only when `aws` is not on PATH or dist/ is missing.
 */
import { execFile, spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { REPO, spawnEmulator, type SpawnedEmulator } from "./spawn.js";

const run = promisify(execFile);
const haveAws = spawnSync("aws", ["--version"], { stdio: "ignore" }).status === 0;
const haveBuild = existsSync(`${REPO}/dist/src/cli/main.js`);
const skipReason = !haveAws ? "the AWS CLI (`aws`) is not on PATH" : !haveBuild ? "dist/ is missing: run `npm run build`" : "";
if (skipReason) console.warn(`aws-cli-lock.test.ts skipped: ${skipReason}`);

const CLI_ENV: NodeJS.ProcessEnv = { ...process.env, AWS_ACCESS_KEY_ID: "clikey", AWS_SECRET_ACCESS_KEY: "test", AWS_PAGER: "", AWS_CONFIG_FILE: "/dev/null", AWS_SHARED_CREDENTIALS_FILE: "/dev/null" };
delete CLI_ENV.AWS_PROFILE;
delete CLI_ENV.AWS_DEFAULT_PROFILE;
delete CLI_ENV.AWS_SESSION_TOKEN;

describe.skipIf(skipReason !== "")(`the AWS CLI against the emulator's DynamoDB and STS${skipReason ? ` (skipped: ${skipReason})` : ""}`, () => {
  let emu: SpawnedEmulator;

  async function aws(...args: string[]): Promise<any> {
    const { stdout } = await run("aws", [...args, "--endpoint-url", emu.url, "--region", "us-east-1", "--output", "json"], { env: CLI_ENV, timeout: 30_000 });
    return stdout.trim() === "" ? {} : JSON.parse(stdout);
  }

  async function awsError(...args: string[]): Promise<string> {
    try {
      await aws(...args);
    } catch (err) {
      return String((err as { stderr?: string }).stderr);
    }
    throw new Error(`aws ${args.join(" ")} succeeded`);
  }

  beforeAll(async () => {
    emu = await spawnEmulator(["--time-scale", "0", "--account", "111122223333"]);
  });
  afterAll(async () => {
    await emu?.stop();
  });

  test("DDB-08 create-table, put-item with attribute_not_exists twice, get-item, delete-item", async () => {
    const table = await aws("dynamodb", "create-table", "--table-name", "cli-locks", "--billing-mode", "PAY_PER_REQUEST",
      "--key-schema", "AttributeName=LockID,KeyType=HASH", "--attribute-definitions", "AttributeName=LockID,AttributeType=S");
    expect(table.TableDescription).toMatchObject({ TableName: "cli-locks", TableStatus: "ACTIVE", TableArn: "arn:aws:dynamodb:us-east-1:111122223333:table/cli-locks" });
    const put = ["dynamodb", "put-item", "--table-name", "cli-locks", "--item", '{"LockID":{"S":"k"},"Who":{"S":"cli"}}', "--condition-expression", "attribute_not_exists(LockID)"];
    expect(await aws(...put)).toEqual({});
    expect(await awsError(...put)).toContain("ConditionalCheckFailedException");
    const got = await aws("dynamodb", "get-item", "--table-name", "cli-locks", "--key", '{"LockID":{"S":"k"}}', "--consistent-read");
    expect(got.Item).toEqual({ LockID: { S: "k" }, Who: { S: "cli" } });
    const old = await aws("dynamodb", "delete-item", "--table-name", "cli-locks", "--key", '{"LockID":{"S":"k"}}', "--return-values", "ALL_OLD");
    expect(old.Attributes.Who).toEqual({ S: "cli" });
    expect(await awsError("dynamodb", "describe-table", "--table-name", "nope")).toContain("ResourceNotFoundException");
  });

  test("STS-03 sts get-caller-identity answers the emulator's account", async () => {
    expect(await aws("sts", "get-caller-identity")).toEqual({ UserId: "AIDAEMULATORCLIKEY", Account: "111122223333", Arn: "arn:aws:iam::111122223333:user/clikey" });
  });
});
