/**
 * `drift --write` of the `usageReports` singleton end to end, through the CLI against the emulator: a
 * subscription deleted out of band is written `none`, one made out of band over `none` is written as the
 * object; either way a second drift is clean and the plan changes nothing.
 */
import { CreateUsageReportSubscriptionCommand, DeleteUsageReportSubscriptionCommand } from "@aws-sdk/client-appstream";
import { readFileSync } from "node:fs";
import { beforeAll, describe, expect, it } from "vitest";
import { clientOf, useEmulator } from "../emulator/helpers.js";
import { apply, changesOf, planOf } from "./apply-helpers.js";
import { cli, fakeAwsCredentials, writeManifest } from "./helpers.js";

beforeAll(fakeAwsCredentials);

const HEAD = `# usage reports of the account
apiVersion: appstreamctl/v1
metadata: { name: reports }
`;
const ADDRESS = "UsageReportSubscription/subscription";

describe("drift --write of usageReports", () => {
  const emulator = useEmulator({}, { scope: "each" });
  const url = () => emulator().emu.url;

  it("declared, deleted out of band: written as none in place; then drift is clean and plan changes nothing", async () => {
    const file = writeManifest(`${HEAD}usageReports: { schedule: DAILY } # reports on\n`);
    expect((await apply(url(), file)).code).toBe(0);
    await clientOf(url()).send(new DeleteUsageReportSubscriptionCommand({}));

    const r = await cli(url(), ["-f", file, "drift", "--write"]);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stdout).toContain(`- ${ADDRESS}  # declared in the manifest but not found in the Region\n    usageReports: {"schedule":"DAILY"} → "none"\n`);
    expect(r.stderr).toBe(`wrote ${ADDRESS} usageReports to ${file}\n`);
    expect(readFileSync(file, "utf8")).toBe(`${HEAD}usageReports: none # reports on\n`);

    const again = await cli(url(), ["-f", file, "-o", "json", "drift"]);
    expect(again.code, again.stdout).toBe(0);
    expect(JSON.parse(again.stdout)).toMatchObject({ summary: { changed: 0, missing: 0, unmanaged: 0, ignored: 0 }, missing: [], unmanaged: [] });
    expect(changesOf(await planOf(url(), file))).toEqual({});
  });

  it("none, created out of band: written as the object; then drift is clean and plan changes nothing", async () => {
    const file = writeManifest(`${HEAD}usageReports: none\n`);
    await clientOf(url()).send(new CreateUsageReportSubscriptionCommand({}));

    const r = await cli(url(), ["-f", file, "-o", "json", "drift", "--write"]);
    expect(r.code, r.stderr).toBe(2);
    const report = JSON.parse(r.stdout) as { unmanaged: unknown[] };
    expect(report.unmanaged).toEqual([{
      category: "unmanaged", address: ADDRESS, kind: "UsageReportSubscription", name: "subscription", pointer: "/usageReports",
      diff: [{ path: "usageReports", before: "none", after: { schedule: "DAILY" }, sensitive: false, why: "live" }],
      note: "the manifest says `usageReports: none`: apply deletes it",
    }]);
    expect(r.stderr).toBe(`wrote ${ADDRESS} usageReports to ${file}\n`);
    expect(readFileSync(file, "utf8")).toBe(`${HEAD}usageReports: { schedule: DAILY }\n`);

    const again = await cli(url(), ["-f", file, "drift"]);
    expect(again.code, again.stdout).toBe(0);
    expect(again.stdout).toContain("No drift. Live state matches the manifest.\n");
    expect(changesOf(await planOf(url(), file))).toEqual({});
  });

  it("no usageReports key: the subscription is reported unmanaged and the file is left as it is", async () => {
    const text = `${HEAD}fleets: []\n`;
    const file = writeManifest(text);
    await clientOf(url()).send(new CreateUsageReportSubscriptionCommand({}));
    const r = await cli(url(), ["-f", file, "drift", "--write"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`not written: ${ADDRESS}: unmanaged: resources are not added or removed by --write\n`);
    expect(readFileSync(file, "utf8")).toBe(text);
  });
});
