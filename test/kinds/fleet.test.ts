/** The fleet kind: modes by fleet type, rules, normalize, and its steps as values (the needs table). */
import { describe, expect, it } from "vitest";
import { fleet, normalizeFleet } from "../../src/kinds/fleet.js";
import { awsFleet, FLEET } from "../core/fixtures.js";
import { change, desired, live, modeOf, REGION, shape, view } from "./helpers.js";

describe("fleet modes", () => {
  it("the image changes live on ON_DEMAND fleets; maxConcurrentSessions only on ELASTIC ones", () => {
    expect(modeOf(fleet, "imageName", { fleetType: "ON_DEMAND" })).toBe("live");
    expect(modeOf(fleet, "imageName", { fleetType: "ELASTIC" })).toBe("requires-stop");
    expect(modeOf(fleet, "maxConcurrentSessions", { fleetType: "ELASTIC" })).toBe("live");
    expect(modeOf(fleet, "instanceType")).toBe("requires-stop");
    expect(modeOf(fleet, "fleetType")).toBe("replace");
  });
});

describe("fleet rules", () => {
  it("an ELASTIC fleet without maxConcurrentSessions, platform and two subnets is refused", () => {
    const v = fleet.rules({ name: "e", fleetType: "ELASTIC", instanceType: "stream.standard.small" }, view());
    expect(v.map((x) => [x.code, x.path])).toEqual([
      ["rule.elastic", []], ["rule.elastic", []], ["rule.elastic", []],
    ]);
  });
  it("a single-session fleet needs desiredInstances", () => {
    expect(fleet.rules({ name: "a", instanceType: "stream.standard.medium", imageName: "i" }, view()).map((x) => x.code)).toEqual(["rule.capacity"]);
    expect(fleet.rules(FLEET, view())).toEqual([]);
  });
});

describe("fleet normalize", () => {
  it("reads capacity from ComputeCapacityStatus and the run state into `state`", () => {
    const l = normalizeFleet(awsFleet("apps", { State: "STOPPED" }));
    expect(l.address).toBe("Fleet/apps");
    expect(l.spec.computeCapacity).toEqual({ desiredInstances: 2 });
    expect(l.spec.state).toBe("stopped");
    expect(l.state).toBe("STOPPED");
  });
});

describe("fleet steps", () => {
  const d = desired("Fleet", "apps", { ...FLEET, instanceType: "stream.standard.large" });
  const running = live("Fleet", "apps", { ...FLEET }, "RUNNING");

  it("create: CreateFleet then start and wait for RUNNING", () => {
    expect(shape(fleet.create(desired("Fleet", "apps", FLEET), REGION)).map((s) => (s as { op: string }).op)).toEqual(["fleet.create", "fleet.start", "wait"]);
  });

  it("a stop-only field on a running fleet: stop → wait → update → start → wait, guarded by a restore", () => {
    const u = fleet.update(d, running, [change(fleet, "instanceType")], REGION);
    expect(u.disruption).toBe("fleet-restart");
    expect(u.reason).toBe("instanceType requires a stopped fleet: stop → update → start");
    expect(shape(u.steps)).toEqual([
      { id: "stop", op: "fleet.stop", params: { Name: "apps" }, after: [] },
      { id: "stopped", op: "wait", params: { kind: "fleet", name: "apps", until: "STOPPED" }, after: ["stop"] },
      { id: "update", op: "fleet.update", params: { Name: "apps", InstanceType: "stream.standard.large" }, after: ["stopped"] },
      { id: "start", op: "fleet.start", params: { Name: "apps" }, after: ["update"] },
      { id: "running", op: "wait", params: { kind: "fleet", name: "apps", until: "RUNNING" }, after: ["start"] },
    ]);
    expect(u.steps[0]!.restore?.guards).toEqual(["stopped", "update", "start"]);
  });

  it("the same field on a stopped fleet is a plain update, then a start (no disruption)", () => {
    const u = fleet.update(d, live("Fleet", "apps", { ...FLEET }, "STOPPED"), [change(fleet, "instanceType")], REGION);
    expect(u.disruption).toBe("none");
    expect(u.steps.map((s) => s.op)).toEqual(["fleet.update", "fleet.start", "wait"]);
  });

  it("state: stopped on a running fleet stops it (fleet-restart), after any live update", () => {
    const u = fleet.update(desired("Fleet", "apps", { ...FLEET, displayName: "New", state: "stopped" }), running, [change(fleet, "displayName")], REGION);
    expect([u.disruption, u.reason]).toEqual(["fleet-restart", "state: stopped stops the running fleet"]);
    expect(u.steps.map((s) => s.op)).toEqual(["fleet.update", "fleet.stop", "wait"]);
  });

  it("a live field on a running fleet: one update, no disruption", () => {
    const u = fleet.update(desired("Fleet", "apps", { ...FLEET, displayName: "New" }), running, [change(fleet, "displayName")], REGION);
    expect(u.disruption).toBe("none");
    expect(shape(u.steps)).toEqual([{ id: "update", op: "fleet.update", params: { Name: "apps", DisplayName: "New" }, after: [] }]);
  });

  it("delete: stop, wait STOPPED, delete, wait GONE", () => {
    expect(fleet.remove(running, REGION).map((s) => `${s.op}:${String(s.params.until ?? "")}`)).toEqual(["fleet.stop:", "wait:STOPPED", "fleet.delete:", "wait:GONE"]);
  });

  it("holds its image, and exports without the echoed ARN or a pinned platform", () => {
    expect(fleet.holds!({ imageArn: "arn:aws:appstream:us-east-1::image/Base" })).toEqual({ kind: "Image", name: "Base" });
    expect(fleet.export!.entry!({ imageName: "i", imageArn: "arn", platform: "WINDOWS" })).toEqual({ imageName: "i" });
  });
});
