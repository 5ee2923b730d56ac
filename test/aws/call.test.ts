import { ConcurrentModificationException, ResourceInUseException, ResourceNotFoundException } from "@aws-sdk/client-appstream";
import { describe, expect, it } from "vitest";
import { fakeApi } from "../../src/aws/api.js";
import { callAws } from "../../src/aws/call.js";
import { kindOf } from "../../src/aws/errors.js";
import type { Clock } from "../../src/aws/retry.js";
import { AppError } from "../../src/core/errors.js";

function instantClock(): Clock & { sleeps: number[] } {
  const sleeps: number[] = [];
  let t = 0;
  return {
    sleeps,
    now: () => t,
    sleep: async (ms) => {
      sleeps.push(ms);
      t += ms;
    },
  };
}

describe("callAws", () => {
  it("retries a concurrent modification through the api and counts every attempt", async () => {
    let n = 0;
    const api = fakeApi({
      StartFleet: () => {
        n++;
        if (n < 3) throw new ConcurrentModificationException({ message: "Wait a few minutes", $metadata: {} });
        return {};
      },
    });
    const clock = instantClock();
    expect(await callAws({ api, clock, random: () => 0.5 }, "StartFleet", { Name: "f" }, { resource: "Fleet/f" })).toEqual({});
    expect(api.counter.snapshot()).toMatchObject({ mutations: 3, errors: 2, byOperation: { StartFleet: 3 } });
    expect(clock.sleeps).toEqual([500, 1000]);
  });

  it("wraps a terminal error as aws.error with operation and resource, keeping the kind", async () => {
    const api = fakeApi({
      DeleteStack: () => {
        throw new ResourceInUseException({ message: "Cannot delete stack s.", $metadata: {} });
      },
    });
    const err = await callAws({ api, clock: instantClock() }, "DeleteStack", { Name: "s" }, { resource: "Stack/s" }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).code).toBe("aws.error");
    expect((err as AppError).message).toMatch(/^DeleteStack Stack\/s failed: ResourceInUseException: Cannot delete stack s\./);
    expect(kindOf(err)).toBe("in-use");
    expect(api.counter.snapshot().mutations).toBe(1);
  });

  it("a not-found read fails at once (the caller maps it to absent); after a create it is retried", async () => {
    const notFound = () => {
      throw new ResourceNotFoundException({ message: "The fleet f does not exist.", $metadata: {} });
    };
    const api = fakeApi({ DescribeFleets: notFound });
    const err = await callAws({ api, clock: instantClock() }, "DescribeFleets", { Names: ["f"] }).catch((e: unknown) => e);
    expect(kindOf(err)).toBe("not-found");
    expect((err as AppError).message.startsWith("DescribeFleets failed: ResourceNotFoundException")).toBe(true);
    expect(api.counter.snapshot().reads).toBe(1);

    let calls = 0;
    const eventual = fakeApi({
      DescribeFleets: () => {
        if (++calls < 3) notFound();
        return { Fleets: [] };
      },
    });
    const out = await callAws({ api: eventual, clock: instantClock(), random: () => 0 }, "DescribeFleets", { Names: ["f"] }, { allow: ["not-found-after-create"] });
    expect(out).toEqual({ Fleets: [] });
    expect(calls).toBe(3);
  });
});

describe("callAws redacts the secrets of its own request from errors that echo it", () => {
  const password = 'p"w\\<&é';
  const input = {
    DirectoryName: "corp.example.com",
    OrganizationalUnitDistinguishedNames: ["OU=A"],
    ServiceAccountCredentials: { AccountName: "CORP\\svc", AccountPassword: password },
  };

  it("in the final error and in every retry report, whatever the encoding", async () => {
    const body = JSON.stringify(input);
    const echo = `body ${body} | twice ${JSON.stringify(body)} | url ${encodeURIComponent(body)} | raw ${password}`;
    const reported: string[] = [];
    const api = fakeApi({
      CreateDirectoryConfig: () => {
        throw new ConcurrentModificationException({ message: echo, $metadata: {} });
      },
    });
    const err = await callAws({ api, clock: instantClock(), random: () => 0 }, "CreateDirectoryConfig", input, {
      policy: { maxAttempts: 2 },
      onRetry: (e) => reported.push((e.error as Error).message),
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AppError);
    const message = (err as AppError).message;
    expect(reported).toHaveLength(1);
    for (const text of [message, ...reported]) {
      expect(text).toContain('"AccountPassword":"(sensitive)"');
      expect(text).toContain("raw (sensitive)");
      for (const leak of [password, JSON.stringify(password).slice(1, -1), encodeURIComponent(password), JSON.stringify(JSON.stringify(password)).slice(1, -1)]) {
        expect(text.includes(leak), leak).toBe(false);
      }
    }
    // The account name is an identity, not a secret: it stays readable.
    expect(message).toContain("CORP");
  });
});
