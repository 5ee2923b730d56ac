/**
 * The AWS CLI (botocore's serialiser and parser) drives the application, application–fleet association and
 * entitlement operations of `appstreamctl emulator` started as a child process. Runs from dist/, so
 * `npm run build` first; skipped, with a message, only when `aws` is not on PATH or dist/ is missing.
 *
 * The app block the applications need belongs to another emulator area: it is put into the state file the
 * emulator starts from, as that area stores it (collection `appBlocks`, keyed by name).
 */
import { execFile, spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { appBlockArn, applicationArn } from "./apps-fixtures.js";
import { REPO, spawnEmulator, type SpawnedEmulator } from "./spawn.js";

const run = promisify(execFile);
const haveAws = spawnSync("aws", ["--version"], { stdio: "ignore" }).status === 0;
const haveBuild = existsSync(`${REPO}/dist/src/cli/main.js`);
const skipReason = !haveAws ? "the AWS CLI (`aws`) is not on PATH" : !haveBuild ? "dist/ is missing: run `npm run build`" : "";
if (skipReason) console.warn(`aws-cli-apps.test.ts skipped: ${skipReason}`);

/** Fake keys and no pager; no profile or config file of the machine can change what the CLI sends. */
const CLI_ENV: NodeJS.ProcessEnv = { ...process.env, AWS_ACCESS_KEY_ID: "test", AWS_SECRET_ACCESS_KEY: "test", AWS_PAGER: "", AWS_CONFIG_FILE: "/dev/null", AWS_SHARED_CREDENTIALS_FILE: "/dev/null" };
delete CLI_ENV.AWS_PROFILE;
delete CLI_ENV.AWS_DEFAULT_PROFILE;
delete CLI_ENV.AWS_SESSION_TOKEN;

const BLOCK = appBlockArn("office");
/** Each `aws` run starts a Python interpreter: seconds apiece on a loaded 2-core machine. */
const SLOW = 180_000;

describe.skipIf(skipReason !== "")(`the AWS CLI drives applications and entitlements${skipReason ? ` (skipped: ${skipReason})` : ""}`, () => {
  let emu: SpawnedEmulator;

  async function aws(...args: string[]): Promise<any> {
    const { stdout } = await run("aws", ["appstream", ...args, "--endpoint-url", emu.url, "--region", "us-east-1", "--output", "json"], { env: CLI_ENV, timeout: 30_000 });
    return stdout.trim() === "" ? {} : JSON.parse(stdout);
  }

  async function awsError(...args: string[]): Promise<string> {
    try {
      await aws(...args);
    } catch (err) {
      return String((err as { stderr?: string }).stderr);
    }
    throw new Error(`aws appstream ${args.join(" ")} succeeded`);
  }

  /** Follows NextToken by hand (botocore has no paginator for these operations) and returns every item. */
  async function all(member: string, ...args: string[]): Promise<{ items: any[]; pages: number }> {
    const items: any[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const out = await aws(...args, ...(token ? ["--next-token", token] : []));
      items.push(...(out[member] ?? []));
      token = out.NextToken;
      pages++;
    } while (token);
    return { items, pages };
  }

  beforeAll(async () => {
    emu = await spawnEmulator(["--page-size", "2", "--time-scale", "0"]);
    const block = await aws(
      "create-app-block", "--name", "office", "--source-s3-location", "S3Bucket=blocks,S3Key=office.vhdx", "--packaging-type", "CUSTOM",
      "--setup-script-details", "ScriptS3Location={S3Bucket=blocks,S3Key=setup.ps1},ExecutablePath=powershell.exe,TimeoutInSeconds=60",
    );
    expect(block.AppBlock).toMatchObject({ Arn: BLOCK, State: "ACTIVE" });
  });

  afterAll(async () => {
    await emu?.stop();
  });

  test("ENT-CLI-01 create-application, describe-applications across pages, update-application with --attributes-to-delete", async () => {
    for (const n of ["word", "excel", "paint"]) {
      const out = await aws(
        "create-application", "--name", n, "--icon-s3-location", `S3Bucket=icons,S3Key=${n}.png`, "--launch-path", `C:\\Apps\\${n}.exe`,
        "--platforms", "WINDOWS_SERVER_2019", "--instance-families", "GENERAL_PURPOSE", "--app-block-arn", BLOCK, "--launch-parameters=-q",
      );
      expect(out.Application).toMatchObject({ Name: n, Arn: applicationArn(n), AppBlockArn: BLOCK, Enabled: true, LaunchParameters: "-q" });
    }
    const listed = await all("Applications", "describe-applications");
    expect([listed.items.map((a) => a.Name), listed.pages]).toEqual([["excel", "paint", "word"], 2]);
    const updated = await aws("update-application", "--name", "paint", "--display-name", "Paint", "--attributes-to-delete", "LAUNCH_PARAMETERS");
    expect(updated.Application).toMatchObject({ Name: "paint", DisplayName: "Paint" });
    expect(updated.Application.LaunchParameters).toBeUndefined();
    expect(await awsError("create-application", "--name", "word", "--icon-s3-location", "S3Bucket=icons,S3Key=k", "--launch-path", "x", "--platforms", "WINDOWS_SERVER_2019", "--instance-families", "GENERAL_PURPOSE", "--app-block-arn", BLOCK)).toContain(
      "ResourceAlreadyExistsException",
    );
  }, SLOW);

  test("ENT-CLI-01 associate-application-fleet with an Elastic fleet, describe-application-fleet-associations across pages, disassociate-application-fleet", async () => {
    await aws(
      "create-fleet", "--name", "elastic", "--fleet-type", "ELASTIC", "--instance-type", "stream.standard.small", "--platform", "WINDOWS_SERVER_2019",
      "--max-concurrent-sessions", "5", "--vpc-config", "SubnetIds=subnet-0a,subnet-0b",
    );
    for (const n of ["word", "excel", "paint"]) {
      const out = await aws("associate-application-fleet", "--fleet-name", "elastic", "--application-arn", applicationArn(n));
      expect(out.ApplicationFleetAssociation).toEqual({ FleetName: "elastic", ApplicationArn: applicationArn(n) });
    }
    const assoc = await all("ApplicationFleetAssociations", "describe-application-fleet-associations", "--fleet-name", "elastic");
    expect([assoc.items.map((a) => a.ApplicationArn), assoc.pages]).toEqual([["excel", "paint", "word"].map(applicationArn), 2]);
    expect(await aws("disassociate-application-fleet", "--fleet-name", "elastic", "--application-arn", applicationArn("paint"))).toEqual({});
    const byApp = await aws("describe-application-fleet-associations", "--application-arn", applicationArn("paint"));
    expect(byApp.ApplicationFleetAssociations).toBeUndefined();
    expect(await awsError("describe-application-fleet-associations")).toContain("InvalidParameterCombinationException");
  }, SLOW);

  test("ENT-CLI-01 create-entitlement, update-entitlement, describe-entitlements", async () => {
    await aws("create-stack", "--name", "stack");
    const created = await aws("create-entitlement", "--name", "staff", "--stack-name", "stack", "--app-visibility", "ASSOCIATED", "--attributes", "Name=groups,Value=staff");
    expect(created.Entitlement).toMatchObject({ Name: "staff", StackName: "stack", AppVisibility: "ASSOCIATED", Attributes: [{ Name: "groups", Value: "staff" }] });
    const updated = await aws("update-entitlement", "--name", "staff", "--stack-name", "stack", "--description", "staff apps");
    expect(updated.Entitlement).toMatchObject({ Description: "staff apps", AppVisibility: "ASSOCIATED" });
    expect((await aws("describe-entitlements", "--stack-name", "stack")).Entitlements.map((e: { Name: string }) => e.Name)).toEqual(["staff"]);
  }, SLOW);

  test("ENT-CLI-01 associate-application-to-entitlement, list-entitled-applications across pages", async () => {
    for (const n of ["word", "paint", "excel"]) {
      expect(await aws("associate-application-to-entitlement", "--stack-name", "stack", "--entitlement-name", "staff", "--application-identifier", n)).toEqual({});
    }
    const entitled = await all("EntitledApplications", "list-entitled-applications", "--stack-name", "stack", "--entitlement-name", "staff");
    expect([entitled.items, entitled.pages]).toEqual([[{ ApplicationIdentifier: "excel" }, { ApplicationIdentifier: "paint" }, { ApplicationIdentifier: "word" }], 2]);
  }, SLOW);

  test("ENT-CLI-01 disassociate-application-from-entitlement, delete-application once free, delete-entitlement", async () => {
    expect(await awsError("delete-application", "--name", "paint")).toContain("ResourceInUseException");
    await aws("disassociate-application-from-entitlement", "--stack-name", "stack", "--entitlement-name", "staff", "--application-identifier", "paint");
    expect(await aws("delete-application", "--name", "paint")).toEqual({});
    expect(await aws("delete-entitlement", "--name", "staff", "--stack-name", "stack")).toEqual({});
    expect(await awsError("describe-entitlements", "--stack-name", "stack", "--name", "staff")).toContain("EntitlementNotFoundException");
  }, SLOW);
});
