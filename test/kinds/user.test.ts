/** The user kind: names replace (re-sending the welcome e-mail), `enabled` toggles, waits until listed. */
import { describe, expect, it } from "vitest";
import { normalizeUser, user } from "../../src/kinds/user.js";
import { change, desired, live, modeOf, REGION, shape, view } from "./helpers.js";

describe("user", () => {
  it("modes: names replace, enabled changes live", () => {
    expect(modeOf(user, "firstName")).toBe("replace");
    expect(modeOf(user, "enabled")).toBe("live");
  });

  it("rules: a plain user passes", () => {
    expect(user.rules({ userName: "a@example.com" }, view())).toEqual([]);
  });

  it("normalize: the user pool's user, keyed by its case-sensitive name", () => {
    const l = normalizeUser({ UserName: "A@example.com", AuthenticationType: "USERPOOL", Enabled: false, FirstName: "A" });
    expect([l.address, l.spec.enabled, l.spec.firstName]).toEqual(["User/A@example.com", false, "A"]);
  });

  it("steps: create waits until listed, then disables if so declared; enabled toggles", () => {
    expect(shape(user.create(desired("User", "a@example.com", { userName: "a@example.com", enabled: false, messageAction: "SUPPRESS" }), REGION))).toEqual([
      { id: "create", op: "user.create", params: { UserName: "a@example.com", AuthenticationType: "USERPOOL", MessageAction: "SUPPRESS" }, after: [] },
      { id: "listed", op: "wait", params: { kind: "user", name: "a@example.com", until: "LISTED" }, after: ["create"] },
      { id: "disable", op: "user.disable", params: { UserName: "a@example.com", AuthenticationType: "USERPOOL" }, after: ["listed"] },
    ]);
    const u = user.update(desired("User", "a", { userName: "a" }), live("User", "a", { enabled: false }), [change(user, "enabled")], REGION);
    expect(shape(u.steps)).toEqual([{ id: "enable", op: "user.enable", params: { UserName: "a", AuthenticationType: "USERPOOL" }, after: [] }]);
  });

  it("a replace says the welcome e-mail goes out again unless suppressed", () => {
    expect(user.replaceNote!(desired("User", "a", {}))).toContain("sends the welcome e-mail again");
    expect(user.replaceNote!(desired("User", "a", { messageAction: "SUPPRESS" }))).toContain("suppressed");
  });
});
