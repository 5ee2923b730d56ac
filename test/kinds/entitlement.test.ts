/** The entitlement kind: a stack's `entitlements`, live fields, applications as a set, rules and drift/export facts. */
import { describe, expect, it } from "vitest";
import { compareFields } from "../../src/core/diff.js";
import { entitlement, entitlementAssociation, normalizeEntitlement, type EntitlementEntry } from "../../src/kinds/entitlement.js";
import { stack } from "../../src/kinds/stack.js";
import type { ManifestDoc } from "../../src/model/resource.js";
import { change, live, modeOf, REGION, shape, view } from "./helpers.js";

const ENTRY = {
  name: "staff", description: "Staff", appVisibility: "ASSOCIATED",
  attributes: [{ name: "groups", value: "staff" }], applications: ["word", "excel"],
} as const satisfies EntitlementEntry;
const manifest = (entitlements: unknown[]): ManifestDoc =>
  ({ apiVersion: "appstreamctl/v1", metadata: { name: "t" }, stacks: [{ name: "desk", entitlements }] }) as unknown as ManifestDoc;

describe("entitlement", () => {
  it("modes: every field changes live; the stack declares them as an association; the stack owns them", () => {
    expect(["description", "appVisibility", "attributes", "applications"].map((f) => modeOf(entitlement, f))).toEqual(["live", "live", "live", "live"]);
    expect(stack.fields.entitlements!.role).toBe("association");
    expect([entitlement.ownership, entitlement.ownerKind, entitlement.readPer]).toEqual(["owner", "Stack", "Stack"]);
    expect(entitlement.parents(live("Entitlement", "desk/staff", { stack: "desk", name: "staff" }))).toEqual(["Stack/desk"]);
  });

  it("derive: one resource per entry, keyed STACK/NAME, at its pointer, after its stack", () => {
    const [d] = entitlement.derive(manifest([ENTRY]));
    expect(d).toEqual({
      kind: "Entitlement", name: "desk/staff", address: "Entitlement/desk/staff", pointer: "/stacks/0/entitlements/0", dependsOn: ["Stack/desk"],
      spec: { stack: "desk", ...ENTRY },
    });
  });

  it("rules: a name twice in a stack is an error; an unknown attribute a warning with a suggestion; applications with ALL a warning", () => {
    const rules = stack.rules({
      name: "desk",
      entitlements: [
        { ...ENTRY, attributes: [{ name: "group", value: "x" }, { name: "costCenter", value: "1" }] },
        { name: "staff", appVisibility: "ALL", attributes: [{ name: "roles", value: "r" }], applications: ["word"] },
      ],
    }, view());
    expect(rules.map((r) => [r.code, r.path.join("."), r.severity ?? "error", r.hint])).toEqual([
      ["rule.entitlement", "entitlements.0.attributes.0.name", "warning", "did you mean `groups`?"],
      ["rule.entitlement", "entitlements.1.name", "error", undefined],
      ["rule.entitlement", "entitlements.1.applications", "warning", undefined],
    ]);
    expect(stack.rules({ name: "desk", entitlements: [{ ...ENTRY, attributes: [...ENTRY.attributes], applications: [...ENTRY.applications] }] }, view())).toEqual([]);
  });

  it("normalize: the service's entitlement in manifest shape, with its applications", () => {
    const l = normalizeEntitlement(
      { Name: "staff", StackName: "desk", AppVisibility: "ALL", Description: "", Attributes: [{ Name: "roles", Value: "r" }] },
      ["word"],
    );
    expect(l).toEqual({
      kind: "Entitlement", name: "desk/staff", address: "Entitlement/desk/staff",
      spec: { stack: "desk", name: "staff", appVisibility: "ALL", attributes: [{ name: "roles", value: "r" }], applications: ["word"] },
    });
  });

  it("compare: attributes and applications are sets; a missing description is the empty one", () => {
    const want = { ...ENTRY, attributes: [{ name: "title", value: "t" }, { name: "groups", value: "g" }], description: undefined };
    const have = { ...ENTRY, attributes: [{ name: "groups", value: "g" }, { name: "title", value: "t" }], applications: ["excel", "word"] };
    expect(compareFields(entitlement.fields, want, have).changes.map((c) => c.field)).toEqual(["description"]);
    expect(compareFields(entitlement.fields, { ...want, description: "Staff" }, have).changes).toEqual([]);
  });

  it("steps: create, then one association per application after it", () => {
    const [d] = entitlement.derive(manifest([ENTRY]));
    expect(shape(entitlement.create(d!, REGION))).toEqual([
      {
        id: "create", op: "entitlement.create", after: [],
        params: { Name: "staff", StackName: "desk", AppVisibility: "ASSOCIATED", Attributes: [{ Name: "groups", Value: "staff" }], Description: "Staff" },
      },
      { id: "associate:word", op: "entitlement.associate", after: ["create"], params: { StackName: "desk", EntitlementName: "staff", ApplicationIdentifier: "word" } },
      { id: "associate:excel", op: "entitlement.associate", after: ["create"], params: { StackName: "desk", EntitlementName: "staff", ApplicationIdentifier: "excel" } },
    ]);
  });

  it("steps: a live change sends every live member (Attributes replace the list); applications change by difference", () => {
    const [d] = entitlement.derive(manifest([{ ...ENTRY, description: undefined, applications: ["word", "paint"] }]));
    const l = live("Entitlement", "desk/staff", { stack: "desk", ...ENTRY });
    const plan = entitlement.update(d!, l, [change(entitlement, "description"), change(entitlement, "applications")], REGION);
    expect(shape(plan.steps)).toEqual([
      {
        id: "update", op: "entitlement.update", after: [],
        params: { Name: "staff", StackName: "desk", Description: "", AppVisibility: "ASSOCIATED", Attributes: [{ Name: "groups", Value: "staff" }] },
      },
      { id: "disassociate:excel", op: "entitlement.disassociate", after: [], params: { StackName: "desk", EntitlementName: "staff", ApplicationIdentifier: "excel" } },
      { id: "associate:paint", op: "entitlement.associate", after: [], params: { StackName: "desk", EntitlementName: "staff", ApplicationIdentifier: "paint" } },
    ]);
    expect(plan.disruption).toBe("none");
    expect(shape(entitlement.update(d!, l, [change(entitlement, "applications")], REGION).steps).map((s) => (s as { op: string }).op))
      .toEqual(["entitlement.disassociate", "entitlement.associate"]);
  });

  it("steps: delete is one DeleteEntitlement (it drops the associations with it)", () => {
    expect(shape(entitlement.remove(live("Entitlement", "desk/staff", { stack: "desk", name: "staff" }), REGION))).toEqual([
      { id: "delete", op: "entitlement.delete", after: [], params: { Name: "staff", StackName: "desk" } },
    ]);
  });

  it("drift and export facts: the stack's entitlements in manifest shape, sorted, defaults left out", () => {
    const ents = [
      live("Entitlement", "desk/b", { stack: "desk", name: "b", appVisibility: "ALL", attributes: [{ name: "roles", value: "r" }], applications: [] }),
      live("Entitlement", "desk/a", { stack: "desk", name: "a", description: "A", appVisibility: "ASSOCIATED", attributes: [{ name: "title", value: "t" }, { name: "groups", value: "g" }], applications: ["x", "w"] }),
      live("Entitlement", "other/c", { stack: "other", name: "c", appVisibility: "ALL", attributes: [{ name: "roles", value: "r" }], applications: [] }),
    ];
    expect(entitlementAssociation.live("desk", ents)).toEqual([
      { name: "a", description: "A", appVisibility: "ASSOCIATED", attributes: [{ name: "groups", value: "g" }, { name: "title", value: "t" }], applications: ["w", "x"] },
      { name: "b", appVisibility: "ALL", attributes: [{ name: "roles", value: "r" }] },
    ]);
    expect(entitlementAssociation.live("none", ents)).toBeUndefined();
    expect(entitlementAssociation.declared({ entitlements: [{ ...ENTRY, applications: [] }] })).toEqual([
      { name: "staff", description: "Staff", appVisibility: "ASSOCIATED", attributes: [{ name: "groups", value: "staff" }] },
    ]);
    expect(stack.associations).toContain(entitlementAssociation);
  });
});
