/**
 * Issue #6 "Must show", checked with an independent client: after appstreamctl applies a manifest to
 * `appstreamctl emulator` (a child process, from dist/: run `npm run build` first), the AWS CLI's
 * `describe-image-permissions` and `describe-user-stack-associations` report exactly the shares and
 * memberships the manifest declares — before and after a change that revokes and removes some.
 * Skipped, with a message, only when `aws` is not on PATH (or dist/ is missing).
 */
import { CreateImageBuilderCommand } from "@aws-sdk/client-appstream";
import { beforeAll, describe, expect, it } from "vitest";
import { awsCliSkipReason, useAwsCli } from "../emulator/aws-cli-helpers.js";
import { clientOf, control } from "../emulator/helpers.js";
import { apply } from "./apply-helpers.js";
import { fakeAwsCredentials, writeManifest } from "./helpers.js";

const skipReason = awsCliSkipReason();
if (skipReason) console.warn(`issue6-aws-cli.test.ts skipped: ${skipReason}`);

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
  // Pages of 2, so the CLI's own paginator has to follow NextToken for both listings.
  const cli = useAwsCli("appstream", ["--page-size", "2", "--time-scale", "0"], {
    setUp: async () => {
      const client = clientOf(cli.url());
      await client.send(new CreateImageBuilderCommand({ Name: "cli-b", InstanceType: "stream.standard.medium", ImageName: BASE }));
      client.destroy();
      expect((await control(cli.url(), "POST", "images", { builderName: "cli-b", imageName: "cli-golden" })).status).toBe(200);
    },
  });
  const { aws } = cli;
  // botocore has no paginator for DescribeImagePermissions (paginators-1.json), so the CLI prints one
  // page; --max-results 500 (the model's maximum, what appstreamctl's read sends) asks for all of them.
  const permissions = async () =>
    (await aws("describe-image-permissions", "--name", "cli-golden", "--max-results", "500")) as { Name: string; SharedImagePermissionsList: unknown[]; NextToken?: string };
  const members = async (stack: string) =>
    ((await aws("describe-user-stack-associations", "--stack-name", stack)).UserStackAssociations as { UserName: string }[]).map((a) => a.UserName).sort();

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
    const r = await apply(cli.url(), file);
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
    const r = await apply(cli.url(), file);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect((await permissions()).SharedImagePermissionsList).toEqual([
      { sharedAccountId: "444455556666", imagePermissions: { allowFleet: true, allowImageBuilder: false } },
      { sharedAccountId: "777788889999", imagePermissions: { allowFleet: false, allowImageBuilder: true } },
    ]);
    expect(await members("s1")).toEqual(["b@example.com", "c@example.com", "e@example.com"]);
    expect(await members("s2")).toEqual(["a@example.com", "c@example.com", "d@example.com"]);
  });
});
