/** Pure parts of the apply lock and the saved-plan target check: option parsing, lock key, table, differences. */
import { describe, expect, it } from "vitest";
import { describeHolder, fromItem, lockKey, resolveLockTarget } from "../../src/aws/lock.js";
import { parseLockTimeout } from "../../src/cli/commands/apply-lock.js";
import { targetDifferences } from "../../src/cli/commands/apply.js";
import { AppError } from "../../src/core/errors.js";

describe("apply lock options", () => {
  it("--lock-timeout: 0s by default, durations in ms, anything else a usage error", () => {
    expect([parseLockTimeout(undefined), parseLockTimeout("0"), parseLockTimeout("0s"), parseLockTimeout("90s"), parseLockTimeout("10m")]).toEqual([0, 0, 0, 90_000, 600_000]);
    expect(() => parseLockTimeout("soon")).toThrow(AppError);
    expect(() => parseLockTimeout("-5s")).toThrow(/--lock-timeout "-5s": expected a duration such as 0s, 90s or 10m/);
  });

  it("the lock key is per set and AppStream region; --lock-table wins over metadata.lock, whose region defaults to the apply's", () => {
    expect(lockKey("euc-prod", "eu-west-1")).toBe("appstreamctl/euc-prod/eu-west-1");
    expect(resolveLockTarget(undefined, undefined, "us-east-1")).toBeUndefined();
    expect(resolveLockTarget(undefined, { dynamodbTable: "locks" }, "us-east-1")).toEqual({ table: "locks", region: "us-east-1" });
    expect(resolveLockTarget(undefined, { dynamodbTable: "locks", region: "eu-central-1" }, "us-east-1")).toEqual({ table: "locks", region: "eu-central-1" });
    expect(resolveLockTarget("ci-locks", { dynamodbTable: "locks" }, "us-east-1")).toEqual({ table: "ci-locks", region: "us-east-1" });
  });

  it("a holder is described by who, pid, since when (with its age), run and command; foreign items read as unknown", () => {
    const h = fromItem({ LockID: { S: "k" }, RunId: { S: "r1" }, Who: { S: "ann@ci" }, Pid: { N: "7" }, Created: { S: "2026-12-05T04:00:00.000Z" }, Command: { S: "appstreamctl apply" } });
    expect(describeHolder(h!, new Date("2026-12-05T04:30:00.000Z"))).toBe('ann@ci (pid 7) since 2026-12-05T04:00:00.000Z (30m ago), run r1, command "appstreamctl apply"');
    expect(fromItem({ LockID: { S: "k" }, Info: { S: "terraform" } })).toEqual({ key: "k", runId: "unknown", who: "unknown", pid: 0, created: "unknown", command: "unknown", version: "unknown" });
    expect(fromItem(undefined)).toBeUndefined();
  });
});

describe("saved plan target", () => {
  const here = { account: "123456789012", region: "us-east-1", endpoint: "http://127.0.0.1:4566" };
  it("lists every difference of account, region and endpoint", () => {
    expect(targetDifferences(here, here)).toEqual([]);
    expect(targetDifferences(here, { account: "210987654321", region: "eu-west-1" })).toEqual([
      "account 123456789012 in the plan, 210987654321 now",
      "region us-east-1 in the plan, eu-west-1 now",
      "endpoint http://127.0.0.1:4566 in the plan, the AWS endpoint now",
    ]);
    expect(targetDifferences(here, { region: "us-east-1", endpoint: "http://127.0.0.1:4566" })).toEqual([
      "account 123456789012 in the plan, unknown (STS GetCallerIdentity failed) now",
    ]);
  });

  it("a plan without an account is held to region and endpoint only", () => {
    expect(targetDifferences({ region: "us-east-1" }, { account: "123456789012", region: "us-east-1" })).toEqual([]);
  });
});
