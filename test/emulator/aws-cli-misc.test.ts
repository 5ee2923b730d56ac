/**
 * The AWS CLI (botocore's serialiser and parser) against `appstreamctl emulator` for the themes, export
 * image task, licensed-software and streaming operations; set-up goes through the SDK, because each `aws`
 * process costs seconds. Runs from dist/, so `npm run build` first.
 * Skipped, with a message, only when `aws` is not on PATH or its model lacks these operations.
 */
import { afterAll, describe, expect, test } from "vitest";
import {
  AssociateFleetCommand,
  CreateFleetCommand,
  CreateImageBuilderCommand,
  CreateStackCommand,
  StartFleetCommand,
  type AppStreamClient,
} from "@aws-sdk/client-appstream";
import { awsCliSkipReason, useAwsCli } from "./aws-cli-helpers.js";
import { clientOf, control } from "./helpers.js";

const skipReason = awsCliSkipReason({
  args: ["appstream", "create-export-image-task"],
  missing: "this AWS CLI predates the export image task operations",
});
if (skipReason) console.warn(`aws-cli-misc.test.ts skipped: ${skipReason}`);

const IMAGE = "AppStream-WinServer2022-11-12-2025";
const OFFICE = "Microsoft_Office_2024_LTSC_Professional_Plus_64Bit";

describe.skipIf(skipReason !== "")(`the AWS CLI: themes, export tasks, licensed software, streaming${skipReason ? ` (skipped: ${skipReason})` : ""}`, () => {
  let sdk: AppStreamClient;
  const cli = useAwsCli("appstream", undefined, {
    setUp: async () => {
      sdk = clientOf(cli.url());
    },
  });
  const { aws, awsError } = cli;

  afterAll(() => {
    sdk?.destroy();
  });

  test("THEME-01 THEME-04 THEME-05 create-, describe-, update- and delete-theme-for-stack", async () => {
    await sdk.send(new CreateStackCommand({ Name: "cli-themed" }));
    const created = await aws(
      "create-theme-for-stack", "--stack-name", "cli-themed", "--title-text", "Example apps", "--theme-styling", "LIGHT_BLUE",
      "--organization-logo-s3-location", "S3Bucket=brand,S3Key=logo.png", "--favicon-s3-location", "S3Bucket=brand,S3Key=fav.ico",
      "--footer-links", "DisplayName=Help,FooterLinkURL=https://help.example.com",
    );
    expect(created.Theme).toMatchObject({ StackName: "cli-themed", State: "ENABLED", ThemeStyling: "LIGHT_BLUE", ThemeTitleText: "Example apps" });
    expect(created.Theme.ThemeFooterLinks).toEqual([{ DisplayName: "Help", FooterLinkURL: "https://help.example.com" }]);
    expect(created.Theme.ThemeOrganizationLogoURL).toMatch(/^https:\/\/appstream2\.us-east-1\.aws\.amazon\.com\/themes\//);
    const updated = await aws("update-theme-for-stack", "--stack-name", "cli-themed", "--state", "DISABLED", "--attributes-to-delete", "FOOTER_LINKS");
    expect(updated.Theme.State).toBe("DISABLED");
    expect(updated.Theme.ThemeFooterLinks).toBeUndefined();
    expect((await aws("describe-theme-for-stack", "--stack-name", "cli-themed")).Theme).toEqual(updated.Theme);
    expect(await aws("delete-theme-for-stack", "--stack-name", "cli-themed")).toEqual({});
    expect(await awsError("delete-theme-for-stack", "--stack-name", "cli-themed")).toContain("ResourceNotFoundException");
  });

  test("EXPORT-01 EXPORT-05 create-export-image-task, get-export-image-task and list-export-image-tasks with filters and pages", async () => {
    await sdk.send(new CreateImageBuilderCommand({ Name: "cli-exp-ib", InstanceType: "stream.standard.small", ImageName: IMAGE }));
    expect((await control(cli.url(), "POST", "images", { builderName: "cli-exp-ib", imageName: "cli-exp" })).status).toBe(200);
    const ids: string[] = [];
    for (const ami of ["cli-ami-1", "cli-ami-2"]) {
      const out = await aws(
        "create-export-image-task", "--image-name", "cli-exp", "--ami-name", ami, "--iam-role-arn", "arn:aws:iam::123456789012:role/Export",
        "--tag-specifications", "team=euc", "--ami-description", "from the CLI",
      );
      expect(out.ExportImageTask).toMatchObject({ AmiName: ami, State: "EXPORTING", TagSpecifications: { team: "euc" }, AmiDescription: "from the CLI" });
      ids.push(out.ExportImageTask.TaskId);
    }
    const got = await aws("get-export-image-task", "--task-id", ids[0]!);
    expect(got.ExportImageTask.State).toBe("COMPLETED");
    expect(got.ExportImageTask.AmiId).toMatch(/^ami-[0-9a-f]{17}$/);
    // botocore has no paginator for it: the CLI prints one page and its NextToken.
    const page = await aws("list-export-image-tasks", "--filters", "Name=State,Values=COMPLETED", "--max-results", "1");
    expect(page.ExportImageTasks.map((x: { TaskId: string }) => x.TaskId)).toEqual([ids[0]]);
    const next = await aws("list-export-image-tasks", "--filters", "Name=State,Values=COMPLETED", "--max-results", "1", "--next-token", page.NextToken);
    expect(next.ExportImageTasks.map((x: { TaskId: string }) => x.TaskId)).toEqual([ids[1]]);
    expect(next.NextToken).toBeUndefined();
  });

  test("SOFT-01 SOFT-06 LICUSE-01 associate-software, start-software-deployment, describe-software-associations, disassociate; describe-app-license-usage", async () => {
    await sdk.send(new CreateImageBuilderCommand({ Name: "cli-sw", InstanceType: "stream.standard.small", ImageName: IMAGE }));
    expect(await aws("associate-software-to-image-builder", "--image-builder-name", "cli-sw", "--software-names", OFFICE)).toEqual({});
    const arn = "arn:aws:appstream:us-east-1:123456789012:image-builder/cli-sw";
    expect(await aws("start-software-deployment-to-image-builder", "--image-builder-name", "cli-sw", "--retry-failed-deployments")).toEqual({});
    expect((await aws("describe-software-associations", "--associated-resource", arn)).SoftwareAssociations).toEqual([
      { SoftwareName: OFFICE, Status: "INSTALLED" },
    ]);
    expect(await aws("disassociate-software-from-image-builder", "--image-builder-name", "cli-sw", "--software-names", OFFICE)).toEqual({});
    expect(await aws("describe-app-license-usage", "--billing-period", "2026-11")).toEqual({ AppLicenseUsages: [] });
  });

  test("URL-01 DRAIN-01 create-streaming-url and drain-session-instance on a multi-session fleet", async () => {
    await sdk.send(new CreateFleetCommand({
      Name: "cli-multi", InstanceType: "stream.standard.medium", ImageName: IMAGE, MaxSessionsPerInstance: 2, ComputeCapacity: { DesiredSessions: 4 },
    }));
    await sdk.send(new CreateStackCommand({ Name: "cli-multi-stack" }));
    await sdk.send(new AssociateFleetCommand({ StackName: "cli-multi-stack", FleetName: "cli-multi" }));
    await sdk.send(new StartFleetCommand({ Name: "cli-multi" }));
    const url1 = await aws("create-streaming-url", "--stack-name", "cli-multi-stack", "--fleet-name", "cli-multi", "--user-id", "alice", "--validity", "300");
    expect(url1.StreamingURL).toMatch(/^https:\/\/appstream2\.us-east-1\.aws\.amazon\.com\/authenticate\?parameters=/);
    expect(url1.Expires).toBeDefined();
    const [id] = (await control(cli.url(), "POST", "sessions", { stackName: "cli-multi-stack", fleetName: "cli-multi", count: 1 })).body.sessions;
    expect(await aws("drain-session-instance", "--session-id", id)).toEqual({});
    const sessions = await aws("describe-sessions", "--stack-name", "cli-multi-stack", "--fleet-name", "cli-multi");
    expect(sessions.Sessions.map((s: { Id: string; InstanceDrainStatus: string }) => [s.Id, s.InstanceDrainStatus])).toEqual([[id, "DRAINING"]]);
  });
});
