import { describe, expect, it } from "vitest";
import { AppError } from "../../src/core/errors.js";
import type { Plan } from "../../src/core/plan-types.js";
import { parsePlanFile, renderPlanJson } from "../../src/cli/render/plan-json.js";
import { assertNoSecrets, sanitizePlan } from "../../src/cli/render/plan-secrets.js";
import { PASSWORD, directoryPassword, emptyPlan, mixedPlan } from "./plan-fixtures.js";

function thrown(fn: () => unknown): AppError {
  try {
    fn();
  } catch (e) {
    if (e instanceof AppError) return e;
    throw e;
  }
  throw new Error("expected an AppError");
}

/** The saved form of a plan, as a mutable value a test can damage. */
function saved(plan: Plan = mixedPlan()): Record<string, any> {
  return JSON.parse(renderPlanJson(plan));
}

describe("renderPlanJson", () => {
  it("writes the documented keys in a fixed order, pretty-printed with a final newline", () => {
    const text = renderPlanJson(mixedPlan());
    expect(text.endsWith("}\n")).toBe(true);
    expect(text.split("\n")[1]).toBe('  "formatVersion": 1,');
    const doc = JSON.parse(text);
    expect(Object.keys(doc)).toEqual([
      "formatVersion",
      "createdAt",
      "set",
      "target",
      "summary",
      "resourceChanges",
      "steps",
      "fingerprints",
      "reads",
      "warnings",
    ]);
    expect(Object.keys(doc.summary)).toEqual(["add", "change", "destroy", "disruptive"]);
    expect(Object.keys(doc.resourceChanges[3])).toEqual([
      "address",
      "kind",
      "name",
      "actions",
      "disruption",
      "destructive",
      "reason",
      "activeSessions",
      "diff",
      "warnings",
    ]);
    expect(doc.resourceChanges[4].actions).toEqual(["delete", "create"]);
    expect(doc.resourceChanges[2].diff[2]).toEqual({
      path: "feedbackURL",
      before: "https://feedback.example.com",
      sensitive: false,
      why: "clear",
    });
    expect(Object.keys(doc.steps[2])).toEqual(["id", "address", "op", "params", "dependsOn"]);
  });

  it("is deterministic: free-form keys are sorted, so insertion order does not matter", () => {
    const a = mixedPlan();
    const b = mixedPlan();
    b.steps[2]!.params = { InstanceType: "stream.standard.large", Name: "engineering" };
    b.fingerprints = { "Stack/sales": "sha256:bb", "Fleet/engineering": "sha256:aa" };
    b.resourceChanges[0]!.diff[2]!.after = { FILE_DOWNLOAD: "DISABLED", CLIPBOARD_COPY_FROM_LOCAL_DEVICE: "ENABLED" };
    expect(renderPlanJson(b)).toBe(renderPlanJson(a));
    expect(Object.keys(JSON.parse(renderPlanJson(b)).fingerprints)).toEqual(["Fleet/engineering", "Stack/sales"]);
  });

  it("masks sensitive values and refuses a plan carrying a known secret", () => {
    const leaky = { ...directoryPassword, diff: [{ ...directoryPassword.diff[0]!, before: undefined, after: PASSWORD }] };
    const text = renderPlanJson(emptyPlan({ resourceChanges: [leaky] }), { secrets: [PASSWORD] });
    expect(text).not.toContain(PASSWORD);
    expect(JSON.parse(text).resourceChanges[0].diff[0]).toEqual({
      path: "serviceAccountCredentials.accountPassword",
      after: "(sensitive)",
      sensitive: true,
      why: "write-only",
    });

    const inWarning = emptyPlan({ warnings: [`password ${PASSWORD} rotated`] });
    const err = thrown(() => renderPlanJson(inWarning, { secrets: [PASSWORD] }));
    expect(err.code).toBe("internal");
    expect(err.message).toBe("a secret value appears in the plan at plan.warnings[0]; refusing to show or save it");
    expect(err.message).not.toContain(PASSWORD);
  });
});

describe("sanitizePlan and assertNoSecrets", () => {
  it("finds a secret in step params, fingerprints keys and diff values; ignores empty secrets", () => {
    const plan = mixedPlan();
    plan.steps[1]!.params = { Credentials: { AccountPassword: PASSWORD } };
    expect(thrown(() => assertNoSecrets(plan, [PASSWORD])).message).toContain("plan.steps[1].params.Credentials.AccountPassword;");
    const keyed = emptyPlan({ fingerprints: { [PASSWORD]: "x" } });
    const keyErr = thrown(() => assertNoSecrets(keyed, [PASSWORD]));
    expect(keyErr.message).toBe("a secret value appears in the plan at plan.fingerprints (a key); refusing to show or save it");
    expect(() => assertNoSecrets(mixedPlan(), ["", PASSWORD])).not.toThrow();
  });

  it("matches short secrets only as whole strings, long ones also inside text", () => {
    expect(() => assertNoSecrets(mixedPlan(), ["prod"])).not.toThrow(); // only inside "euc-prod"
    expect(thrown(() => assertNoSecrets(mixedPlan(), ["euc"])).message).toContain("plan.resourceChanges[2].diff[3].before;");
    expect(thrown(() => assertNoSecrets(mixedPlan(), ["euc-prod"])).message).toContain("plan.set;");
    expect(thrown(() => assertNoSecrets(mixedPlan(), ["corp-win-2025"])).message).toContain("plan.resourceChanges[3].diff[2].before;");
  });

  it("masks a sensitive diff without touching the input", () => {
    const leaky = { ...directoryPassword, diff: [{ ...directoryPassword.diff[0]!, before: "old", after: "new" }] };
    const plan = emptyPlan({ resourceChanges: [leaky] });
    const clean = sanitizePlan(plan, ["new"]);
    expect(clean.resourceChanges[0]!.diff[0]).toEqual({
      path: "serviceAccountCredentials.accountPassword",
      before: "(sensitive)",
      after: "(sensitive)",
      sensitive: true,
      why: "write-only",
    });
    expect(plan.resourceChanges[0]!.diff[0]!.after).toBe("new");
  });
});

describe("parsePlanFile", () => {
  it("round-trips a plan: parse(render(p)) equals p and renders to the same bytes", () => {
    const text = renderPlanJson(mixedPlan());
    const parsed = parsePlanFile(text);
    // `destructive` is derived from the actions, so it is the one key a parsed plan adds.
    const expected = mixedPlan();
    for (const rc of expected.resourceChanges) rc.destructive = rc.actions[0] === "delete";
    expect(parsed).toEqual(expected);
    expect(renderPlanJson(parsed)).toBe(text);
    expect(parsePlanFile(renderPlanJson(emptyPlan({ target: { region: "eu-west-1" } })))).toEqual(
      emptyPlan({ target: { region: "eu-west-1" } }),
    );
  });

  it("keeps the account of the target, first, and rejects one that is not a string", () => {
    const withAccount = emptyPlan({ target: { account: "123456789012", region: "eu-west-1", endpoint: "http://x" } });
    const text = renderPlanJson(withAccount);
    expect(JSON.parse(text).target).toEqual({ account: "123456789012", region: "eu-west-1", endpoint: "http://x" });
    expect(Object.keys(JSON.parse(text).target)).toEqual(["account", "region", "endpoint"]);
    expect(parsePlanFile(text)).toEqual(withAccount);
    const bad = JSON.parse(text);
    bad.target.account = 123456789012;
    expect(() => parsePlanFile(JSON.stringify(bad))).toThrow(/target\.account/);
  });

  it("keeps null values distinct from absent ones and drops unknown keys", () => {
    const doc = saved();
    doc.resourceChanges[2].diff[0].before = null;
    doc.extra = "ignored";
    doc.resourceChanges[0].extra = 1;
    const plan = parsePlanFile(JSON.stringify(doc));
    expect(plan.resourceChanges[2]!.diff[0]!.before).toBeNull();
    expect("before" in plan.resourceChanges[0]!.diff[0]!).toBe(false);
    expect("extra" in plan).toBe(false);
    expect("extra" in plan.resourceChanges[0]!).toBe(false);
  });

  const bad: [string, (doc: Record<string, any>) => unknown, string][] = [
    ["a newer format version", (d) => (d.formatVersion = 2), "plan file format version 2 is not supported; this appstreamctl reads version 1 (run plan again with this version)"],
    ["no format version", (d) => delete d.formatVersion, "plan file format version undefined is not supported; this appstreamctl reads version 1 (run plan again with this version)"],
    ["a missing summary", (d) => delete d.summary, "summary must be an object; got nothing"],
    ["a negative count", (d) => (d.summary.destroy = -1), "summary.destroy must be a whole number ≥ 0; got -1"],
    ["an unknown action pair", (d) => (d.resourceChanges[0].actions = ["create", "delete"]), 'resourceChanges[0].actions must be one of ["no-op"], ["create"], ["update"], ["delete"], ["delete","create"], ["read"]; got ["create","delete"]'],
    ["an unknown kind", (d) => (d.resourceChanges[1].kind = "Bucket"), "resourceChanges[1].kind must be one of DirectoryConfig, Image, ImageExport, ImagePermission, ImageBuilder, ImageBuilderSoftware, AppBlock, ImageBuilderSchedule, AppBlockBuilder, Fleet, Application, FleetSchedule, Scaling, Stack, Theme, FleetAssociation, ApplicationFleetAssociation, Entitlement, User, UserAssociation, UsageReportSubscription; got \"Bucket\""],
    ["an address of another kind", (d) => (d.resourceChanges[0].address = "Fleet/engineering"), 'resourceChanges[0].address "Fleet/engineering" is not a Stack address'],
    ["an unknown disruption", (d) => (d.resourceChanges[3].disruption = "reboot"), 'resourceChanges[3].disruption must be one of none, fleet-restart, replace; got "reboot"'],
    ["a diff without sensitive", (d) => delete d.resourceChanges[2].diff[1].sensitive, "resourceChanges[2].diff[1].sensitive must be true or false"],
    ["an unknown why", (d) => (d.resourceChanges[2].diff[1].why = "magic"), 'resourceChanges[2].diff[1].why must be one of live, requires-stop, replace, write-only, clear, state, tags, association, selector; got "magic"'],
    ["step params as an array", (d) => (d.steps[0].params = []), "steps[0].params must be an object; got an array"],
    ["a dependency on a missing step", (d) => (d.steps[3].dependsOn = ["nope"]), 'steps[3].dependsOn names unknown step "nope"'],
    ["a duplicate step id", (d) => (d.steps[1].id = d.steps[0].id), 'steps[1].id "stack-create:engineering" is used twice'],
    ["a non-string fingerprint", (d) => (d.fingerprints["Stack/sales"] = 7), 'fingerprints["Stack/sales"] must be a string; got a number'],
    ["reads as an object", (d) => (d.reads = {}), "reads must be an array; got an object"],
  ];
  it.each(bad)("rejects %s with plan.format", (_name, damage, message) => {
    const doc = saved();
    damage(doc);
    const err = thrown(() => parsePlanFile(JSON.stringify(doc)));
    expect(err.code).toBe("plan.format");
    expect(err.source).toBe("user");
    expect(err.message).toBe(message);
  });

  it("rejects text that is not JSON, and JSON that is not an object", () => {
    const notJson = thrown(() => parsePlanFile("Plan: 1 to add"));
    expect(notJson.code).toBe("plan.format");
    expect(notJson.message).toMatch(/^the plan file is not JSON: /);
    const list = thrown(() => parsePlanFile("[]"));
    expect([list.code, list.message]).toEqual(["plan.format", "plan must be an object; got an array"]);
  });
});
