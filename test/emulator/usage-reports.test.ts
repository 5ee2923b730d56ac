import {
  CreateUsageReportSubscriptionCommand,
  DeleteUsageReportSubscriptionCommand,
  DescribeUsageReportSubscriptionsCommand,
} from "@aws-sdk/client-appstream";
import { afterEach, beforeEach, expect, test } from "vitest";
import { errorOf, startTestEmulator, type TestEmulator } from "./helpers.js";

let t: TestEmulator;
beforeEach(async () => {
  t = await startTestEmulator();
});
afterEach(async () => {
  await t.close();
});

test("USAGE-01 Create returns a bucket and DAILY; again returns the same bucket", async () => {
  const a = await t.client.send(new CreateUsageReportSubscriptionCommand({}));
  expect(a.Schedule).toBe("DAILY");
  expect(a.S3BucketName).toMatch(/^appstream-logs-us-east-1-123456789012-[0-9a-f]{10}$/);
  const b = await t.client.send(new CreateUsageReportSubscriptionCommand({}));
  expect(b.S3BucketName).toBe(a.S3BucketName);
});

test("USAGE-02 Describe lists the subscription, or nothing", async () => {
  expect((await t.client.send(new DescribeUsageReportSubscriptionsCommand({}))).UsageReportSubscriptions).toEqual([]);
  const a = await t.client.send(new CreateUsageReportSubscriptionCommand({}));
  const d = await t.client.send(new DescribeUsageReportSubscriptionsCommand({}));
  expect(d.UsageReportSubscriptions).toEqual([{ S3BucketName: a.S3BucketName, Schedule: "DAILY", SubscriptionErrors: [] }]);
  expect(d.NextToken).toBeUndefined();
});

test("USAGE-03 Delete removes it; Delete without one → ResourceNotFoundException", async () => {
  await t.client.send(new CreateUsageReportSubscriptionCommand({}));
  await t.client.send(new DeleteUsageReportSubscriptionCommand({}));
  expect((await t.client.send(new DescribeUsageReportSubscriptionsCommand({}))).UsageReportSubscriptions).toEqual([]);
  const err = await errorOf(() => t.client.send(new DeleteUsageReportSubscriptionCommand({})));
  expect(err.name).toBe("ResourceNotFoundException");
});
