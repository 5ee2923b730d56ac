/** The stack kind: every field live, AttributesToDelete for cleared fields, its fleet as an association. */
import { describe, expect, it } from "vitest";
import { normalizeStack, stack } from "../../src/kinds/stack.js";
import { fleetAssoc, liveStack } from "../core/fixtures.js";
import { change, desired, live, modeOf, REGION, shape, view } from "./helpers.js";

describe("stack", () => {
  it("modes: fields change live; the name replaces", () => {
    expect(modeOf(stack, "displayName")).toBe("live");
    expect(modeOf(stack, "name")).toBe("replace");
  });

  it("rules: a reference to an unknown fleet is validation's (refs), not a rule; a plain stack passes", () => {
    expect(stack.rules({ name: "s" }, view())).toEqual([]);
    expect(stack.refs.map((r) => [r.target, r.code])).toEqual([["fleets", "ref.unknown-fleet"]]);
  });

  it("normalize: user settings become a map, the address is Stack/NAME", () => {
    const l = liveStack("s", {}, {});
    expect(l.address).toBe("Stack/s");
    expect((l.spec.userSettings as Record<string, unknown>).AUTO_TIME_ZONE_REDIRECTION).toEqual("DISABLED");
    expect(normalizeStack({ Name: "x" }).kind).toBe("Stack");
  });

  it("steps: create with tags, update with AttributesToDelete for a cleared field, delete", () => {
    expect(shape(stack.create(desired("Stack", "s", { name: "s", displayName: "S" }, { a: "b" }), REGION))).toEqual([
      { id: "create", op: "stack.create", params: { Name: "s", DisplayName: "S", Tags: { a: "b" } }, after: [] },
    ]);
    const u = stack.update(desired("Stack", "s", { name: "s" }), live("Stack", "s", { name: "s", feedbackURL: "https://f" }), [change(stack, "feedbackURL", {}, true)], REGION);
    expect(shape(u.steps)).toEqual([{ id: "update", op: "stack.update", params: { Name: "s", AttributesToDelete: ["FEEDBACK_URL"] }, after: [] }]);
    expect(u.disruption).toBe("none");
    expect(shape(stack.remove(live("Stack", "s", {}), REGION))).toEqual([{ id: "delete", op: "stack.delete", params: { Name: "s" }, after: [] }]);
  });

  it("agentAccessConfig.userControlMode: sent in place; dropping it deletes the config and sets it again, with a warning", () => {
    const agent = { settings: [{ agentAction: "COMPUTER_VISION", permission: "ENABLED" }], screenResolution: "W_1280xH_720", screenImageFormat: "PNG" };
    const was = live("Stack", "s", { name: "s", agentAccessConfig: { ...agent, screenshotsUploadEnabled: false, userControlMode: "VIEW_ONLY" } });
    const set = stack.update(desired("Stack", "s", { name: "s", agentAccessConfig: { ...agent, userControlMode: "VIEW_STOP" } }), was, [change(stack, "agentAccessConfig")], REGION);
    expect(shape(set.steps)).toEqual([{
      id: "update", op: "stack.update", after: [],
      params: { Name: "s", AgentAccessConfig: { Settings: [{ AgentAction: "COMPUTER_VISION", Permission: "ENABLED" }], ScreenResolution: "W_1280xH_720", ScreenImageFormat: "PNG", ScreenshotsUploadEnabled: false, UserControlMode: "VIEW_STOP" } },
    }]);
    expect(set.warnings).toBeUndefined();
    const drop = stack.update(desired("Stack", "s", { name: "s", agentAccessConfig: agent }), was, [change(stack, "agentAccessConfig")], REGION);
    expect(shape(drop.steps).map((x) => (x as { id: string }).id)).toEqual(["clear-agent-access", "update"]);
    expect((drop.steps[0]!.params as { AttributesToDelete?: string[] }).AttributesToDelete).toEqual(["AGENT_ACCESS_CONFIG"]);
    expect(drop.warnings).toEqual(["agentAccessConfig.userControlMode cannot be removed by an update: the config is deleted and set again, with no agent access in between"]);
  });

  it("association: `fleet` read back from the memberships, for drift and export", () => {
    const memberships = [fleetAssoc("s", "f"), fleetAssoc("t", "g")];
    expect(stack.association!.live("s", memberships)).toBe("f");
    expect(stack.association!.exported!("s", memberships)).toBe("f");
    expect(stack.association!.live("u", memberships)).toBeUndefined();
  });
});
