/** The deletion count printed before apply asks: per kind, with the set they belong to. */
import { describe, expect, it } from "vitest";
import type { ResourceChange } from "../../src/core/plan-types.js";
import { renderDeleteSummary } from "../../src/cli/render/delete-summary.js";
import { emptyPlan } from "./plan-fixtures.js";

function change(kind: ResourceChange["kind"], name: string, actions: ResourceChange["actions"]): ResourceChange {
  return { address: `${kind}/${name}`, kind, name, actions, disruption: "none", reason: "", diff: [] };
}

describe("renderDeleteSummary", () => {
  it("counts deletions per kind in plan order, naming the set", () => {
    const plan = emptyPlan({
      set: "euc-prod",
      resourceChanges: [
        change("Stack", "old-1", ["delete"]),
        change("Fleet", "keep", ["update"]),
        change("Fleet", "old-a", ["delete"]),
        change("Stack", "old-2", ["delete"]),
        change("User", "gone@example.com", ["delete"]),
        change("Fleet", "old-b", ["delete"]),
        change("Stack", "new", ["create"]),
        change("Stack", "old-3", ["delete"]),
        change("Stack", "old-4", ["delete"]),
        change("Stack", "old-5", ["delete"]),
        change("Stack", "old-6", ["delete"]),
        change("Stack", "old-7", ["delete"]),
        change("Stack", "old-8", ["delete"]),
        change("Stack", "old-9", ["delete"]),
        change("Stack", "old-10", ["delete"]),
      ],
    });
    expect(renderDeleteSummary(plan)).toBe("This plan deletes 13 resources of set `euc-prod`:\n  10 Stack\n   2 Fleet\n   1 User\n");
  });

  it("a replacement is not a deletion, and a plan without deletions prints nothing", () => {
    expect(renderDeleteSummary(emptyPlan({ resourceChanges: [change("Fleet", "f", ["delete", "create"]), change("Stack", "s", ["no-op"])] }))).toBe("");
  });

  it("one deletion reads in the singular", () => {
    expect(renderDeleteSummary(emptyPlan({ set: "lab", resourceChanges: [change("ImageBuilder", "b", ["delete"])] }))).toBe("This plan deletes 1 resource of set `lab`:\n  1 ImageBuilder\n");
  });
});
