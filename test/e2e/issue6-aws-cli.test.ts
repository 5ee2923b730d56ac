/**
 * Issue #6 "Must show", checked with an independent client: after appstreamctl applies a manifest to
 * `appstreamctl emulator` (a child process, from dist/: run `npm run build` first), the AWS CLI's
 * `describe-image-permissions` and `describe-user-stack-associations` report exactly the shares and
 * memberships the manifest declares — before and after a change that revokes and removes some.
 * Skipped, with a message, only when `aws` is not on PATH (or dist/ is missing).
 */
import { CreateImageBuilderCommand } from "@aws-sdk/client-appstream";
import { execFile, spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { clientOf, control } from "../emulator/helpers.js";
import { REPO, spawnEmulator, type SpawnedEmulator } from "../emulator/spawn.js";
import { apply } from "./apply-helpers.js";
import { fakeAwsCredentials, writeManifest } from "./helpers.js";

const run = promisify(execFile);
const haveAws = spawnSync("aws", ["--version"], { stdio: "ignore" }).status === 0;
const haveBuild = existsSync(`${REPO}/dist/src/cli/main.js`);
const skipReason = !haveAws ? "the AWS CLI (`aws`) is not on PATH" : !haveBuild ? "dist/ is missing: run `npm run build`" : "";
if (skipReason) console.warn(`issue6-aws-cli.test.ts skipped: ${skipReason}`);

/** Fake keys and no pager; no profile or config file of the machine can change what the CLI sends. */
const CLI_ENV: NodeJS.ProcessEnv = { ...process.env, AWS_ACCESS_KEY_ID: "test", AWS_SECRET_ACCESS_KEY: "test", AWS_PAGER: "", AWS_CONFIG_FILE: "/dev/null", AWS_SHARED_CREDENTIALS_FILE: "/dev/null" };
delete CLI_ENV.AWS_PROFILE;
delete CLI_ENV.AWS_DEFAULT_PROFILE;
delete CLI_ENV.AWS_SESSION_TOKEN;

const BASE = "AppStream-WinServer2022-11-12-2025";

beforeAll(fakeAwsCredentials);

/** The manifest: one adopted image shared with `shares`, two stacks, and users with their stacks. */
const estate = (shares: string, users: string) => writeManifest(`apiVersion: appstreamctl/v1
metadata: { name: cli-check }
images:
  - name: cli-golden
    sharedWith: ${shares}
stacks:
  - name: s1
  - name: s2
users:
${users}`);

describe.skipIf(skipReason !== "")(`the AWS CLI sees what the manifest declares${skipReason ? ` (skipped: ${skipReason})` : ""}`, () => {
  let emu: SpawnedEmulator;

  async function aws(...args: string[]): Promise<any> {
    const { stdout } = await run("aws", ["appstream", ...args, "--endpoint-url", emu.url, "--region", "us-east-1", "--output", "json"], { env: CLI_ENV, timeout: 30_000 });
    return JSON.parse(stdout);
  }
  // botocore has no paginator for DescribeImagePermissions (paginators-1.json), so the CLI prints one
  // page; --max-results 500 (the model's maximum, what appstreamctl's read sends) asks for all of them.
  const permissions = async () =>
    (await aws("describe-image-permissions", "--name", "cli-golden", "--max-results", "500")) as { Name: string; SharedImagePermissionsList: unknown[]; NextToken?: string };
  const members = async (stack: string) =>
    ((await aws("describe-user-stack-associations", "--stack-name", stack)).UserStackAssociations as { UserName: string }[]).map((a) => a.UserName).sort();

  beforeAll(async () => {
    // Pages of 2, so the CLI's own paginator has to follow NextToken for both listings.
    emu = await spawnEmulator(["--page-size", "2", "--time-scale", "0"]);
    const client = clientOf(emu.url);
    await client.send(new CreateImageBuilderCommand({ Name: "cli-b", InstanceType: "stream.standard.medium", ImageName: BASE }));
    client.destroy();
    expect((await control(emu.url, "POST", "images", { builderName: "cli-b", imageName: "cli-golden" })).status).toBe(200);
  });
  afterAll(async () => {
    await emu?.stop();
  });

  it("after the first apply: three shares with their flags, and each stack's exact members", async () => {
    const file = estate(
      `[{ accountId: "111122223333" }, { accountId: "444455556666", allowImageBuilder: true }, { accountId: "777788889999", allowFleet: false, allowImageBuilder: true }]`,
      `  - { userName: a@example.com, stacks: [s1, s2] }
  - { userName: b@example.com, stacks: [s1] }
  - { userName: c@example.com, stacks: [s1] }
  - { userName: d@example.com, stacks: [s2] }
  - { userName: e@example.com }
`,
    );
    const r = await apply(emu.url, file);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    const perms = await permissions();
    expect(perms.Name).toBe("cli-golden");
    expect(perms.NextToken).toBeUndefined();
    expect(perms.SharedImagePermissionsList).toEqual([
      { sharedAccountId: "111122223333", imagePermissions: { allowFleet: true, allowImageBuilder: false } },
      { sharedAccountId: "444455556666", imagePermissions: { allowFleet: true, allowImageBuilder: true } },
      { sharedAccountId: "777788889999", imagePermissions: { allowFleet: false, allowImageBuilder: true } },
    ]);
    expect(await members("s1")).toEqual(["a@example.com", "b@example.com", "c@example.com"]);
    expect(await members("s2")).toEqual(["a@example.com", "d@example.com"]);
    const s1 = await aws("describe-user-stack-associations", "--stack-name", "s1");
    expect(s1.UserStackAssociations[0]).toEqual({ StackName: "s1", UserName: "a@example.com", AuthenticationType: "USERPOOL" });
  });

  it("after revoking one account, flipping another, and moving users between stacks: exactly the new declaration", async () => {
    const file = estate(
      `[{ accountId: "444455556666", allowImageBuilder: false }, { accountId: "777788889999", allowFleet: false, allowImageBuilder: true }]`,
      `  - { userName: a@example.com, stacks: [s2] }
  - { userName: b@example.com, stacks: [s1] }
  - { userName: c@example.com, stacks: [s1, s2] }
  - { userName: d@example.com, stacks: [s2] }
  - { userName: e@example.com, stacks: [s1] }
`,
    );
    const r = await apply(emu.url, file);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect((await permissions()).SharedImagePermissionsList).toEqual([
      { sharedAccountId: "444455556666", imagePermissions: { allowFleet: true, allowImageBuilder: false } },
      { sharedAccountId: "777788889999", imagePermissions: { allowFleet: false, allowImageBuilder: true } },
    ]);
    expect(await members("s1")).toEqual(["b@example.com", "c@example.com", "e@example.com"]);
    expect(await members("s2")).toEqual(["a@example.com", "c@example.com", "d@example.com"]);
  });
});
