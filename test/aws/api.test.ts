import { ResourceNotFoundException } from "@aws-sdk/client-appstream";
import { describe, expect, it } from "vitest";
import { accessOf, CallCounter, fakeApi, OPERATION_NAMES } from "../../src/aws/api.js";
import { classify } from "../../src/aws/errors.js";

describe("the operation table", () => {
  it("marks exactly the Describe*/List*/Get* operations as reads", () => {
    const reads = OPERATION_NAMES.filter((op) => accessOf(op) === "read");
    expect(reads.sort()).toEqual(
      [
        "DescribeAppBlockBuilderAppBlockAssociations",
        "DescribeAppBlockBuilders",
        "DescribeAppBlocks",
        "DescribeApplicationFleetAssociations",
        "DescribeApplications",
        "DescribeDirectoryConfigs",
        "DescribeEntitlements",
        "DescribeFleets",
        "DescribeImageBuilders",
        "DescribeImagePermissions",
        "DescribeImages",
        "DescribeSessions",
        "DescribeSoftwareAssociations",
        "DescribeStacks",
        "DescribeThemeForStack",
        "DescribeUsageReportSubscriptions",
        "DescribeUserStackAssociations",
        "DescribeUsers",
        "GetExportImageTask",
        "GetResources",
        "ListAssociatedFleets",
        "ListAssociatedStacks",
        "ListEntitledApplications",
        "ListExportImageTasks",
        "ListTagsForResource",
      ].sort(),
    );
    for (const op of OPERATION_NAMES) expect(accessOf(op) === "read").toBe(/^(Describe|List|Get)/.test(op));
  });
});

describe("fakeApi", () => {
  it("serves typed handlers and counts reads, mutations and errors per operation", async () => {
    const api = fakeApi({
      DescribeFleets: (input) => ({ Fleets: (input.Names ?? []).map((Name) => ({ Name, Arn: `arn:${Name}` }) as never) }),
      StopFleet: () => ({}),
      DeleteFleet: async (input) => {
        throw new ResourceNotFoundException({ message: `The fleet ${input.Name} does not exist.`, $metadata: {} });
      },
    });
    const out = await api.call("DescribeFleets", { Names: ["a", "b"] });
    expect(out.Fleets?.map((f) => f.Name)).toEqual(["a", "b"]);
    await api.call("DescribeFleets", {});
    await api.call("StopFleet", { Name: "a" });
    const err = await api.call("DeleteFleet", { Name: "zz" }).catch((e: unknown) => e);
    expect(classify(err)).toBe("not-found");
    expect(api.counter.snapshot()).toEqual({
      reads: 2,
      mutations: 2,
      errors: 1,
      byOperation: { DescribeFleets: 2, StopFleet: 1, DeleteFleet: 1 },
    });
  });

  it("fails loudly on an operation without a handler, and the counter resets", async () => {
    const counter = new CallCounter();
    const api = fakeApi({}, counter);
    await expect(api.call("CreateStack", { Name: "s" })).rejects.toMatchObject({ code: "internal", message: expect.stringContaining("CreateStack") });
    expect(counter.snapshot().mutations).toBe(1);
    const before = counter.snapshot();
    counter.reset();
    expect(counter.snapshot()).toEqual({ reads: 0, mutations: 0, errors: 0, byOperation: {} });
    expect(before.byOperation).toEqual({ CreateStack: 1 }); // snapshots are copies
  });
});
