import {
  CreateUsageReportSubscriptionCommand,
  DeleteUsageReportSubscriptionCommand,
  DescribeUsageReportSubscriptionsCommand,
} from "@aws-sdk/client-appstream";
import { expect, test } from "vitest";
import { errorOf, useEmulator } from "./helpers.js";

const emulator = useEmulator({});

test("USAGE-01 Create returns a bucket and DAILY; again returns the same bucket", async () => {
  const a = await emulator().client.send(new CreateUsageReportSubscriptionCommand({}));
  expect(a.Schedule).toBe("DAILY");
  expect(a.S3BucketName).toMatch(/^appstream-logs-us-east-1-123456789012-[0-9a-f]{10}$/);
  const b = await emulator().client.send(new CreateUsageReportSubscriptionCommand({}));
  expect(b.S3BucketName).toBe(a.S3BucketName);
});

test("USAGE-02 Describe lists the subscription, or nothing", async () => {
  expect((await emulator().client.send(new DescribeUsageReportSubscriptionsCommand({}))).UsageReportSubscriptions).toEqual([]);
  const a = await emulator().client.send(new CreateUsageReportSubscriptionCommand({}));
  const d = await emulator().client.send(new DescribeUsageReportSubscriptionsCommand({}));
  expect(d.UsageReportSubscriptions).toEqual([{ S3BucketName: a.S3BucketName, Schedule: "DAILY", SubscriptionErrors: [] }]);
  expect(d.NextToken).toBeUndefined();
});

test("USAGE-03 Delete removes it; Delete without one → ResourceNotFoundException", async () => {
  await emulator().client.send(new CreateUsageReportSubscriptionCommand({}));
  await emulator().client.send(new DeleteUsageReportSubscriptionCommand({}));
  expect((await emulator().client.send(new DescribeUsageReportSubscriptionsCommand({}))).UsageReportSubscriptions).toEqual([]);
  const err = await errorOf(() => emulator().client.send(new DeleteUsageReportSubscriptionCommand({})));
  expect(err.name).toBe("ResourceNotFoundException");
});
