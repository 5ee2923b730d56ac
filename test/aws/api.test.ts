import { ResourceNotFoundException, type AppStreamClient } from "@aws-sdk/client-appstream";
import { describe, expect, it } from "vitest";
import { accessOf, CallCounter, createApi, fakeApi, OPERATION_NAMES, serviceOf } from "../../src/aws/api.js";
import { classify } from "../../src/aws/errors.js";

describe("the operation table", () => {
  it("marks exactly the Describe*/List*/Get* operations as reads", () => {
    const reads = OPERATION_NAMES.filter((op) => accessOf(op) === "read" && !op.includes(":"));
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
    for (const op of OPERATION_NAMES) expect(accessOf(op) === "read").toBe(/^(\w+:)?(Describe|List|Get)/.test(op));
  });
});

describe("operations of the other services", () => {
  it("go to their own service's client, which the AppStream client never sees", async () => {
    const sent: string[] = [];
    const sender = (service: string) => ({
      send: async (command: never) => {
        sent.push(`${service} ${(command as { constructor: { name: string } }).constructor.name}`);
        return {};
      },
    });
    const appstream = { send: async () => { throw new Error("AppStream client used"); } } as unknown as AppStreamClient;
    const api = createApi(appstream, undefined, { tagging: sender("tagging"), autoscaling: sender("autoscaling"), scheduler: sender("scheduler") });
    await api.call("GetResources", {});
    await api.call("autoscaling:DescribeScalableTargets", { ServiceNamespace: "appstream" });
    await api.call("scheduler:ListSchedules", {});
    expect(sent).toEqual(["tagging GetResourcesCommand", "autoscaling DescribeScalableTargetsCommand", "scheduler ListSchedulesCommand"]);
    expect(serviceOf("DescribeFleets")).toBeUndefined();
    expect(api.counter.snapshot().byOperation).toEqual({ GetResources: 1, "autoscaling:DescribeScalableTargets": 1, "scheduler:ListSchedules": 1 });
  });

  it("fail as internal errors when the api was built without that service's client", async () => {
    const api = createApi({} as AppStreamClient);
    await expect(api.call("scheduler:ListSchedules", {})).rejects.toThrow("no scheduler client for scheduler:ListSchedules");
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
