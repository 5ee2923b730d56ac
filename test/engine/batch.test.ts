import type { UserStackAssociation } from "@aws-sdk/client-appstream";
import { describe, expect, it } from "vitest";
import { fakeApi } from "../../src/aws/api.js";
import { run, step, tick } from "./helpers.js";

const assoc = (stack: string, user: string, after: string[] = []) =>
  step(`UserAssociation/${stack}/${user}`, "create", "user-association.create", { StackName: stack, UserName: user, AuthenticationType: "USERPOOL" }, after);

describe("user-stack association batches", () => {
  it("sends 30 associations as 25 + 5 after the users they need, and maps per-item errors to their addresses", async () => {
    const batches: UserStackAssociation[][] = [];
    const api = fakeApi({
      CreateUser: async () => {
        await tick();
        return {};
      },
      BatchAssociateUserStack: (i) => {
        const items = i.UserStackAssociations ?? [];
        batches.push(items);
        const bad = items.filter((a) => a.UserName === "u7@example.com");
        return { errors: bad.map((a) => ({ UserStackAssociation: a, ErrorCode: "DIRECTORY_NOT_FOUND", ErrorMessage: "The directory was not found." })) };
      },
    });
    const users = Array.from({ length: 15 }, (_, i) => step(`User/u${i}@example.com`, "create", "user.create", { UserName: `u${i}@example.com`, AuthenticationType: "USERPOOL" }));
    const assocs = users.flatMap((u, i) => ["a", "b"].map((s) => assoc(s, `u${i}@example.com`, [u.id])));
    const { summary, status } = await run(api, [...users, ...assocs], { parallelism: 4 });
    expect(batches.map((b) => b.length)).toEqual([25, 5]);
    expect(summary.counts).toEqual({ done: 43, failed: 2, skipped: 0, interrupted: 0, "not-started": 0 });
    expect(status["UserAssociation/a/u7@example.com#create"]).toBe("failed");
    const failed = summary.outcomes.find((o) => o.id === "UserAssociation/b/u7@example.com#create");
    expect(failed?.detail).toBe("BatchAssociateUserStack UserAssociation/b/u7@example.com failed: DIRECTORY_NOT_FOUND: The directory was not found.");
  });

  it("sends an item again while its user is not visible yet, and counts a missing one on disassociate as gone", async () => {
    let n = 0;
    const api = fakeApi({
      BatchAssociateUserStack: (i) => {
        n++;
        const items = i.UserStackAssociations ?? [];
        return n === 1 ? { errors: [{ UserStackAssociation: items[0], ErrorCode: "USER_NAME_NOT_FOUND", ErrorMessage: "not found" }] } : { errors: [] };
      },
      BatchDisassociateUserStack: (i) => ({ errors: (i.UserStackAssociations ?? []).map((a) => ({ UserStackAssociation: a, ErrorCode: "STACK_NOT_FOUND", ErrorMessage: "gone" })) }),
    });
    const del = step("UserAssociation/old/x", "destroy.delete", "user-association.delete", { StackName: "old", UserName: "x", AuthenticationType: "USERPOOL" });
    const { summary } = await run(api, [assoc("s", "new@example.com"), del]);
    expect(summary.counts.done).toBe(2);
    expect(api.counter.snapshot().byOperation).toEqual({ BatchAssociateUserStack: 2, BatchDisassociateUserStack: 1 });
  });
});
