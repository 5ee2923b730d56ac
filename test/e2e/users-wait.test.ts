/**
 * Waiting for new users to be listed. DescribeUsers has no name filter (reference §8.1), so every look
 * at whether a new user is listed pages the whole pool: users created in a row are looked for together,
 * once they have all been created, not on every tick of the poller while they are being created.
 */
import { CreateUserCommand } from "@aws-sdk/client-appstream";
import { beforeAll, describe, expect, it } from "vitest";
import { calls, useEmulator } from "../emulator/helpers.js";
import { cli, fakeAwsCredentials, writeManifest } from "./helpers.js";
import { control } from "../emulator/helpers.js";

/** Users already in the pool, created out of band (not in the manifest). */
const EXISTING = 400;
/** Users the apply adds, each a member of every stack. */
const NEW = 200;
const STACKS = ["eng", "ops", "sales"];
/** MaxResults of appstreamctl's DescribeUsers pages (page-sizes.ts UNBOUNDED_PAGE). */
const USERS_PAGE = 100;

beforeAll(fakeAwsCredentials);

const name = (prefix: string, i: number) => `${prefix}${String(i).padStart(4, "0")}@example.com`;

describe(`${NEW} new users × ${STACKS.length} stacks added to a pool of ${EXISTING}`, () => {
  const emu = useEmulator({ quotas: { users: EXISTING + NEW + 10 } }, {
    setUp: async (t) => {
      for (let i = 0; i < EXISTING; i += 20) {
        await Promise.all(Array.from({ length: 20 }, (_, k) =>
          t.client.send(new CreateUserCommand({ UserName: name("old", i + k), AuthenticationType: "USERPOOL", MessageAction: "SUPPRESS" }))));
      }
    },
  });

  it("apply pages the pool once to plan and once to see the new users listed, whatever the number of poll ticks", async () => {
    const file = writeManifest(`apiVersion: appstreamctl/v1
metadata: { name: wait }
stacks:
${STACKS.map((s) => `  - name: ${s}`).join("\n")}
users:
${Array.from({ length: NEW }, (_, i) => `  - { userName: ${name("new", i)}, messageAction: SUPPRESS, stacks: [${STACKS.join(", ")}] }`).join("\n")}
`);
    await control(emu().emu.url, "DELETE", "calls");
    const r = await cli(emu().emu.url, ["-f", file, "apply", "--auto-approve"]);
    expect(r.code, r.stderr.slice(-2000)).toBe(0);
    const log = await calls(emu().emu.url);
    expect(log.filter((c) => c.outcome !== "ok")).toEqual([]);
    const count = (op: string) => log.filter((c) => c.operation === op).length;
    expect(count("CreateUser")).toBe(NEW);
    expect(count("BatchAssociateUserStack")).toBe((NEW * STACKS.length) / 25);
    // The plan's scan of the 400 users there, then one scan of the 600 after the last create.
    expect(count("DescribeUsers")).toBe(EXISTING / USERS_PAGE + (EXISTING + NEW) / USERS_PAGE);
  }, 60_000);
});
