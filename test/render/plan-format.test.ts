import { describe, expect, it } from "vitest";
import { ABSENT, displayOrder, formatValue, impactNote, symbolFor, whyNote } from "../../src/cli/render/plan-format.js";
import { fleetReplace, fleetRestart, mixedPlan, stackDelete } from "./plan-fixtures.js";

describe("formatValue", () => {
  it("quotes strings, prints scalars bare and structures as flow JSON with sorted keys", () => {
    expect(formatValue("a\nb")).toBe('"a\\nb"');
    expect(formatValue(3)).toBe("3");
    expect(formatValue(false)).toBe("false");
    expect(formatValue(null)).toBe("null");
    expect(formatValue(undefined)).toBe(ABSENT);
    expect(formatValue({ b: 1, a: [1, { d: 2, c: 3 }] })).toBe('{"a":[1,{"c":3,"d":2}],"b":1}');
  });

  it("cuts long values to the limit with an ellipsis, keeping strings quoted", () => {
    const long = formatValue("x".repeat(200));
    expect(long).toBe(`"${"x".repeat(69)}…"`);
    expect(long).toHaveLength(72);
    const list = formatValue(Array.from({ length: 40 }, (_, i) => `subnet-${i}`), 30);
    expect(list).toBe('["subnet-0","subnet-1","subne…');
    expect(list).toHaveLength(30);
    // Escapes count against the limit, and a cut never splits an escape or a surrogate pair.
    expect(formatValue('"'.repeat(50), 20)).toBe(`"${'\\"'.repeat(8)}…"`);
    expect(formatValue("😀".repeat(30), 10)).toBe('"😀😀😀…"');
  });
});

describe("symbols, notes and order", () => {
  it("maps every action list to its Terraform symbol", () => {
    expect(symbolFor(["create"])).toBe("+");
    expect(symbolFor(["update"])).toBe("~");
    expect(symbolFor(["delete"])).toBe("-");
    expect(symbolFor(["delete", "create"])).toBe("-/+");
    expect(symbolFor(["read"])).toBe("<=");
    expect(symbolFor(["no-op"])).toBe("");
  });

  it("says which kind must be stopped", () => {
    expect(whyNote("requires-stop", "Fleet")).toBe("requires stopped fleet");
    expect(whyNote("requires-stop", "ImageBuilder")).toBe("requires stopped image builder");
    expect(whyNote("replace", "Stack")).toBe("immutable: forces replacement");
  });

  it("joins disruption, reason and sessions into one note", () => {
    expect(impactNote(fleetRestart)).toBe("fleet-restart: stops the running fleet; ends 3 active sessions");
    expect(impactNote({ ...fleetReplace, reason: "" })).toBe("replace; no active sessions");
    expect(impactNote({ ...stackDelete, activeSessions: 2 })).toBe("not in the manifest (--prune); ends 2 active sessions");
    expect(impactNote({ ...stackDelete, reason: "" })).toBe("");
    expect(impactNote({ ...fleetRestart, disruption: "none", reason: "" })).toBe("");
  });

  it("puts disruptive changes first, keeps plan order otherwise, and drops no-ops", () => {
    expect(displayOrder(mixedPlan().resourceChanges).map((rc) => rc.address)).toEqual([
      "Fleet/engineering",
      "Fleet/batch",
      "Stack/engineering",
      "Stack/sales",
      "Stack/old",
    ]);
  });
});
