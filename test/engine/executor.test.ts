import {
  ConcurrentModificationException,
  RequestLimitExceededException,
  ResourceAlreadyExistsException,
  ResourceNotAvailableException,
  type Image,
} from "@aws-sdk/client-appstream";
import { describe, expect, it } from "vitest";
import { fakeApi } from "../../src/aws/api.js";
import { applyExitCode } from "../../src/cli/commands/apply.js";
import { AppError } from "../../src/core/errors.js";
import { invalid, run, step, tick } from "./helpers.js";

describe("work graph", () => {
  it("keeps at most --parallelism mutating calls in flight and finishes every step", async () => {
    let inFlight = 0;
    let max = 0;
    const api = fakeApi({
      CreateStack: async () => {
        max = Math.max(max, ++inFlight);
        await tick();
        inFlight--;
        return {};
      },
    });
    const steps = Array.from({ length: 10 }, (_, i) => step(`Stack/s${i}`, "create", "stack.create", { Name: `s${i}` }));
    const { summary } = await run(api, steps, { parallelism: 3 });
    expect(max).toBe(3);
    expect(summary.counts.done).toBe(10);
    expect(api.counter.snapshot().byOperation.CreateStack).toBe(10);
  });

  it("starts a step only when everything it depends on is done", async () => {
    const log: string[] = [];
    const api = fakeApi({
      CreateStack: async (i) => {
        log.push(`start ${i.Name}`);
        await tick();
        log.push(`end ${i.Name}`);
        return {};
      },
      CreateFleet: async (i) => {
        log.push(`start ${i.Name}`);
        await tick();
        log.push(`end ${i.Name}`);
        return {};
      },
      AssociateFleet: async () => {
        log.push("associate");
        return {};
      },
    });
    const s = step("Stack/s", "create", "stack.create", { Name: "s" });
    const f = step("Fleet/f", "create", "fleet.create", { Name: "f", InstanceType: "stream.standard.small" });
    const a = step("FleetAssociation/s/f", "create", "fleet-association.create", { StackName: "s", FleetName: "f" }, [s.id, f.id]);
    const { status } = await run(api, [s, f, a], { parallelism: 4 });
    expect(log.indexOf("associate")).toBe(log.length - 1);
    expect(log.slice(0, 2).sort()).toEqual(["start f", "start s"]);
    expect(status[a.id]).toBe("done");
  });

  it("skips the dependents of a failed step, finishes independent steps, and exits 3", async () => {
    const api = fakeApi({
      CreateStack: (i) => {
        if (i.Name === "bad") throw invalid("1 validation error detected: Value at 'name' failed to satisfy constraint");
        return {};
      },
      AssociateFleet: () => ({}),
      CreateFleet: () => ({}),
    });
    const bad = step("Stack/bad", "create", "stack.create", { Name: "bad" });
    const fleet = step("Fleet/f", "create", "fleet.create", { Name: "f" });
    const assoc = step("FleetAssociation/bad/f", "create", "fleet-association.create", { StackName: "bad", FleetName: "f" }, [bad.id, fleet.id]);
    const tag = step("FleetAssociation/bad/f", "after", "fleet-association.create", { StackName: "bad", FleetName: "f" }, [assoc.id]);
    const good = step("Stack/good", "create", "stack.create", { Name: "good" });
    const { summary, status, events } = await run(api, [bad, fleet, assoc, tag, good]);
    expect(status).toEqual({ [bad.id]: "failed", [fleet.id]: "done", [assoc.id]: "skipped", [tag.id]: "skipped", [good.id]: "done" });
    expect(summary.counts).toEqual({ done: 2, failed: 1, skipped: 2, interrupted: 0, "not-started": 0 });
    expect(summary.outcomes.find((o) => o.id === bad.id)?.detail).toContain("CreateStack Stack/bad failed: InvalidParameterCombinationException");
    expect(events.filter((e) => e.type === "step-skipped").map((e) => e.type === "step-skipped" && e.reason)).toEqual([
      `depends on ${bad.id}, which failed`,
      `depends on ${bad.id}, which failed`,
    ]);
    expect(applyExitCode(summary)).toBe(3);
    expect(api.counter.snapshot().byOperation.AssociateFleet).toBeUndefined();
  });

  it("fails an unknown op without calling anything", async () => {
    const api = fakeApi({});
    const { summary } = await run(api, [step("Fleet/f", "x", "fleet.explode", {})]);
    expect(summary.outcomes[0]?.status).toBe("failed");
    expect(summary.outcomes[0]?.detail).toContain('unknown op "fleet.explode"');
  });

  it("retries RequestLimitExceeded and ConcurrentModification, and reports each retry", async () => {
    let n = 0;
    const api = fakeApi({
      StartFleet: () => {
        n++;
        if (n === 1) throw new RequestLimitExceededException({ message: "Rate exceeded", $metadata: {} });
        if (n === 2) throw new ConcurrentModificationException({ message: "Wait a few minutes", $metadata: {} });
        return {};
      },
    });
    const { summary, events } = await run(api, [step("Fleet/f", "start", "fleet.start", { Name: "f" })]);
    expect(summary.counts.done).toBe(1);
    expect(events.filter((e) => e.type === "retry").map((e) => e.type === "retry" && e.error)).toEqual(["Rate exceeded", "Wait a few minutes"]);
  });

  it("a create that finds its resource already there fails without a re-planner; a missing one on delete is gone", async () => {
    const api = fakeApi({
      CreateStack: () => {
        throw new ResourceAlreadyExistsException({ message: "The stack s already exists.", $metadata: {} });
      },
      DescribeStacks: () => ({ Stacks: [{ Name: "s", Arn: "arn:s" }] }),
      DeleteFleet: () => {
        throw new (class extends Error {
          override name = "ResourceNotFoundException";
        })("The fleet g does not exist.");
      },
    });
    const { summary } = await run(api, [step("Stack/s", "create", "stack.create", { Name: "s" }), step("Fleet/g", "destroy.delete", "fleet.delete", { Name: "g" })]);
    expect(summary.outcomes.map((o) => [o.status, o.note ?? o.detail])).toEqual([
      ["failed", "it already exists: made after the plan read the estate (by another run, a person, or an earlier attempt of this request)"],
      ["done", "already gone"],
    ]);
  });

  it("a create that finds its resource already there is planned again: the new steps run, the rest of its create does not", async () => {
    const api = fakeApi({
      CreateFleet: () => {
        throw new ResourceAlreadyExistsException({ message: "The fleet f already exists.", $metadata: {} });
      },
      DescribeFleets: () => ({ Fleets: [{ Name: "f", Arn: "arn:f", State: "RUNNING", InstanceType: "stream.standard.small", ComputeCapacityStatus: { Desired: 1 } }] }),
      UpdateFleet: () => ({}),
      StartFleet: () => ({}),
      AssociateFleet: () => ({}),
    });
    const replanned: string[] = [];
    const replan = async (address: string) => {
      replanned.push(address);
      return {
        change: { address, kind: "Fleet" as const, name: "f", actions: ["update"] as ["update"], disruption: "none" as const, reason: "", diff: [] },
        steps: [step("Fleet/f", "update", "fleet.update", { Name: "f", DisplayName: "F" })],
      };
    };
    const steps = [
      step("Fleet/f", "create", "fleet.create", { Name: "f", InstanceType: "stream.standard.small" }),
      step("Fleet/f", "start", "fleet.start", { Name: "f" }, ["Fleet/f#create"]),
      step("FleetAssociation/s/f", "create", "fleet-association.create", { StackName: "s", FleetName: "f" }, ["Fleet/f#start"]),
    ];
    const { summary, events } = await run(api, steps, { replan });
    expect(replanned).toEqual(["Fleet/f"]);
    expect(summary.outcomes.map((o) => [o.id, o.status, o.note])).toEqual([
      ["Fleet/f#create", "done", "already existed when created: planned again and converged with fleet.update"],
      ["Fleet/f#start", "done", "not needed: the resource was planned again after its create found it already there"],
      ["FleetAssociation/s/f#create", "done", undefined],
    ]);
    expect(api.counter.snapshot().byOperation).toMatchObject({ CreateFleet: 1, UpdateFleet: 1, AssociateFleet: 1 });
    expect(api.counter.snapshot().byOperation.StartFleet).toBeUndefined();
    expect(events.filter((e) => e.type === "step-done").map((e) => e.type === "step-done" && e.id)).toEqual([
      "Fleet/f#replan.update", "Fleet/f#create", "Fleet/f#start", "FleetAssociation/s/f#create",
    ]);
  });

  it("a raced create whose new plan is disruptive, or refused, fails and its dependents are skipped", async () => {
    const api = fakeApi({
      CreateFleet: () => {
        throw new ResourceAlreadyExistsException({ message: "The fleet f already exists.", $metadata: {} });
      },
      DescribeFleets: () => ({ Fleets: [{ Name: "f", Arn: "arn:f", State: "RUNNING", InstanceType: "stream.standard.small", ComputeCapacityStatus: { Desired: 1 } }] }),
    });
    const steps = [
      step("Fleet/f", "create", "fleet.create", { Name: "f", InstanceType: "stream.standard.small" }),
      step("Fleet/f", "start", "fleet.start", { Name: "f" }, ["Fleet/f#create"]),
    ];
    const disruptive = async (address: string) => ({
      change: { address, kind: "Fleet" as const, name: "f", actions: ["update"] as ["update"], disruption: "fleet-restart" as const, reason: "instanceType requires a stopped fleet", diff: [] },
      steps: [step("Fleet/f", "stop", "fleet.stop", { Name: "f" })],
    });
    const a = await run(api, steps, { replan: disruptive });
    expect(a.summary.outcomes.map((o) => [o.status, o.detail])).toEqual([
      ["failed", "Fleet/f already existed when created, and converging it would be disruptive (instanceType requires a stopped fleet); nothing was changed on it: run plan again to review the change"],
      ["skipped", "depends on Fleet/f#create, which failed"],
    ]);
    const refused = async () => {
      throw new AppError("plan.foreign-owner", 'Fleet/f belongs to the set "x"');
    };
    const b = await run(api, steps, { replan: refused });
    expect(b.summary.outcomes[0]!.detail).toBe('Fleet/f already existed when created, and planning it again failed: Fleet/f belongs to the set "x"');
    expect(api.counter.snapshot().byOperation.StopFleet).toBeUndefined();
  });

  it("resolves $secret placeholders only in the request, never in events", async () => {
    const seen: unknown[] = [];
    const api = fakeApi({
      CreateDirectoryConfig: (i) => {
        seen.push(i.ServiceAccountCredentials);
        return {};
      },
    });
    const pointer = "/directoryConfigs/0/serviceAccountCredentials/accountPassword";
    const s = step("DirectoryConfig/corp", "create", "directory-config.create", {
      DirectoryName: "corp", OrganizationalUnitDistinguishedNames: ["OU=a"],
      ServiceAccountCredentials: { AccountName: "CORP\\svc", AccountPassword: { $secret: pointer } },
    });
    const { summary, events } = await run(api, [s], { secret: (p) => (p === pointer ? "Hunter2-Secret" : "wrong") });
    expect(summary.counts.done).toBe(1);
    expect(seen).toEqual([{ AccountName: "CORP\\svc", AccountPassword: "Hunter2-Secret" }]);
    expect(s.params.ServiceAccountCredentials).toEqual({ AccountName: "CORP\\svc", AccountPassword: { $secret: pointer } });
    expect(JSON.stringify(events)).not.toContain("Hunter2-Secret");
  });

  /** An api whose CreateStack aborts `controller` (Ctrl-C) while it is in flight, recording the names sent. */
  function interruptingApi() {
    const controller = new AbortController();
    const calls: string[] = [];
    const api = fakeApi({
      CreateStack: async (i) => {
        calls.push(i.Name as string);
        controller.abort();
        await tick();
        return {};
      },
    });
    return { controller, calls, api };
  }

  it("after an abort starts nothing new, lets the call in flight finish, and reports the rest as not started", async () => {
    const { controller, calls, api } = interruptingApi();
    const a = step("Stack/a", "create", "stack.create", { Name: "a" });
    const b = step("Stack/b", "create", "stack.create", { Name: "b" }, [a.id]);
    const { summary, status } = await run(api, [a, b], { signal: controller.signal });
    expect(calls).toEqual(["a"]);
    expect(status).toEqual({ [a.id]: "done", [b.id]: "not-started" });
    expect(summary.interrupted).toBe(true);
    expect(applyExitCode(summary)).toBe(130);
  });

  it("a mutation queued for a slot when the abort comes is never sent", async () => {
    const { controller, calls, api } = interruptingApi();
    const steps = ["a", "b", "c"].map((n) => step(`Stack/${n}`, "create", "stack.create", { Name: n }));
    const { status } = await run(api, steps, { signal: controller.signal, parallelism: 1 });
    expect(calls).toEqual(["a"]);
    expect(Object.values(status)).toEqual(["done", "interrupted", "interrupted"]);
  });

  it("shares an image still IMPORTING once the image poller sees it AVAILABLE (a re-run after Ctrl-C)", async () => {
    const states = ["IMPORTING", "IMPORTING", "AVAILABLE"];
    let polls = 0;
    let puts = 0;
    const api = fakeApi({
      UpdateImagePermissions: () => {
        if (++puts === 1) throw new ResourceNotAvailableException({ message: "The image img is IMPORTING", $metadata: {} });
        return {};
      },
      DescribeImages: () => ({ Images: [{ Name: "img", State: states[Math.min(polls++, 2)] } as Image] }),
    });
    const put = step("ImagePermission/img/210987654321", "put", "image-permission.put", {
      Name: "img", SharedAccountId: "210987654321", ImagePermissions: { allowFleet: true, allowImageBuilder: false },
    });
    const { summary } = await run(api, [put]);
    expect(summary.counts.done).toBe(1);
    expect([puts, polls]).toEqual([2, 3]);
  });
});
