/**
 * Users at scale (issue #6 "Must show"): 2,000 user-pool users with 3 stacks each, declared compactly
 * with `userGroups` in a roster file of their own (`-f main.yaml -f roster.yaml`). The first apply sends
 * the 6,000 memberships in full batches of 25 (reference §8.2) next to one CreateUser per user; the plan
 * after it sends nothing and reads in pages: one DescribeUsers scan (there is no name filter, §8.1) and
 * DescribeUserStackAssociations per stack at 500 per page.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { CreateUserCommand } from "@aws-sdk/client-appstream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Plan } from "../../src/core/plan-types.js";
import type { CallRecord } from "../../src/emulator/control.js";
import { calls, control, startTestEmulator, type TestEmulator } from "../emulator/helpers.js";
import { changesOf, table } from "./apply-helpers.js";
import { cli, fakeAwsCredentials, writeManifest } from "./helpers.js";

const USERS = 2000;
const STACKS = ["eng", "ops", "sales"];
/** The emulator's page size for requests without MaxResults (DescribeUsers, DescribeStacks, ...). */
const PAGE = 100;

beforeAll(fakeAwsCredentials);

/** Calls per operation. */
function countByOp(log: readonly CallRecord[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const c of log) out[c.operation] = (out[c.operation] ?? 0) + 1;
  return out;
}

describe(`${USERS} users × ${STACKS.length} stacks, roster in its own file`, () => {
  let t: TestEmulator;
  let main = "";
  let roster = "";
  beforeAll(async () => {
    t = await startTestEmulator({ quotas: { users: 5000 }, pageSize: PAGE });
    main = writeManifest(`apiVersion: appstreamctl/v1
metadata: { name: pool, userPool: exclusive }
stacks:
${STACKS.map((s) => `  - name: ${s}`).join("\n")}
`);
    // Two groups, so the roster also proves that groups concatenate; every member gets all three stacks.
    const emails = Array.from({ length: USERS }, (_, i) => `user${String(i).padStart(4, "0")}@example.com`);
    const group = (name: string, members: string[]) =>
      `  - name: ${name}\n    stacks: [${STACKS.join(", ")}]\n    messageAction: SUPPRESS\n    userNames:\n${members.map((e) => `      - ${e}`).join("\n")}`;
    roster = join(dirname(main), "roster.yaml");
    writeFileSync(roster, `userGroups:\n${group("first-half", emails.slice(0, USERS / 2))}\n${group("second-half", emails.slice(USERS / 2))}\n`);
  });
  afterAll(async () => t.close());

  // 6,000 memberships in 240 calls of at most 25 items (the model's maximum) means every call was full.
  it("first apply: exactly 2,000 CreateUser and ceil(6000/25) = 240 BatchAssociateUserStack, no errors", async () => {
    await control(t.emu.url, "DELETE", "calls");
    const r = await cli(t.emu.url, ["-f", main, "-f", roster, "apply", "--auto-approve", "--parallelism", "16"]);
    expect(r.code, r.stdout.slice(-2000) + r.stderr.slice(-2000)).toBe(0);
    const log = await calls(t.emu.url);
    expect(log.filter((c) => c.outcome !== "ok")).toEqual([]);
    const mutating = countByOp(log.filter((c) => c.mutating));
    expect(mutating).toEqual({ CreateStack: 3, CreateUser: USERS, BatchAssociateUserStack: Math.ceil((USERS * STACKS.length) / 25) });

    const associations = Object.keys(await table(t.emu.url, "us-east-1", "userStackAssociations"));
    expect(associations).toHaveLength(USERS * STACKS.length);
    expect(Object.keys(await table(t.emu.url, "us-east-1", "users"))).toHaveLength(USERS);
    // 2,243 calls through a real CLI process: counts are asserted, not time, so a busy machine only waits.
  }, 240_000);

  it("second plan: no change, no mutating call, and reads counted in pages", async () => {
    await control(t.emu.url, "DELETE", "calls");
    const r = await cli(t.emu.url, ["-f", main, "-f", roster, "-o", "json", "plan", "--detailed-exitcode"]);
    expect(r.code, r.stderr).toBe(0);
    const plan = JSON.parse(r.stdout) as Plan;
    expect(changesOf(plan)).toEqual({});
    expect(plan.resourceChanges).toHaveLength(STACKS.length + USERS + USERS * STACKS.length);
    const log = await calls(t.emu.url);
    expect(log.filter((c) => c.mutating)).toEqual([]);
    expect(countByOp(log)).toEqual({
      // One scan of the pool: 2,000 users in pages of 100.
      DescribeUsers: USERS / PAGE,
      // Per stack, 2,000 memberships at MaxResults 500.
      DescribeUserStackAssociations: STACKS.length * Math.ceil(USERS / 500),
      // One listing of the stacks, per stack its fleet, and the stacks' tags in one page of the tagging
      // index: none of these grows with the users. Kinds the manifest does not declare are not read, nor
      // the themes and entitlements of stacks that do not write those fields.
      DescribeStacks: 1,
      ListAssociatedFleets: STACKS.length,
      "tagging:GetResources": 1,
      // The account of the plan's target.
      "sts:GetCallerIdentity": 1,
    });
  });

  it("userPool exclusive: plan --prune singles out the one user outside the roster among 2,001, still in pages", async () => {
    await t.client.send(new CreateUserCommand({ UserName: "stranger@example.com", AuthenticationType: "USERPOOL", MessageAction: "SUPPRESS" }));
    await control(t.emu.url, "DELETE", "calls");
    const r = await cli(t.emu.url, ["-f", main, "-f", roster, "-o", "json", "plan", "--prune"]);
    expect(r.code, r.stderr).toBe(0);
    expect(changesOf(JSON.parse(r.stdout) as Plan)).toEqual({ "User/stranger@example.com": "delete" });
    const log = await calls(t.emu.url);
    expect(log.filter((c) => c.mutating)).toEqual([]);
    expect(countByOp(log).DescribeUsers).toBe(Math.ceil((USERS + 1) / PAGE));
    expect((await cli(t.emu.url, ["-f", main, "-f", roster, "apply", "--auto-approve", "--allow-disruption", "--prune"])).code).toBe(0);
    expect(Object.keys(await table(t.emu.url, "us-east-1", "users"))).toHaveLength(USERS);
  });

  it("dropping one stack from the second group: exactly 1,000 / 25 = 40 BatchDisassociateUserStack and nothing else", async () => {
    const text = readFileSync(roster, "utf8");
    const at = text.indexOf("  - name: second-half");
    const changed = join(dirname(roster), "roster-2.yaml");
    writeFileSync(changed, text.slice(0, at) + text.slice(at).replace(`stacks: [${STACKS.join(", ")}]`, `stacks: [${STACKS.slice(0, 2).join(", ")}]`));
    await control(t.emu.url, "DELETE", "calls");
    // Removing memberships is a delete, which needs --allow-disruption without a terminal.
    const r = await cli(t.emu.url, ["-f", main, "-f", changed, "apply", "--auto-approve", "--allow-disruption"]);
    expect(r.code, r.stderr.slice(-2000)).toBe(0);
    expect(countByOp((await calls(t.emu.url)).filter((c) => c.mutating))).toEqual({ BatchDisassociateUserStack: USERS / 2 / 25 });
    const left = Object.values(await table(t.emu.url, "us-east-1", "userStackAssociations"));
    expect(left).toHaveLength(USERS * STACKS.length - USERS / 2);
  });
});
