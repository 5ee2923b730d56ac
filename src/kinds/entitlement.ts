/**
 * Entitlement (reference §12.3): a stack's `entitlements` entry, keyed `STACK/NAME`. Description,
 * visibility and attributes change live with UpdateEntitlement (Attributes replaced as a whole); the
 * applications are a set kept with Associate/DisassociateApplicationToEntitlement, whose identifier is the
 * application's name (SPEC ENT-07). Entitlements match SAML 2.0 attributes when a federated user signs in:
 * user-pool and streaming-URL users are entitled to every application of the stack whatever is declared.
 */
import type {
  AssociateApplicationToEntitlementCommandInput, CreateEntitlementCommandInput, DeleteEntitlementCommandInput,
  DisassociateApplicationFromEntitlementCommandInput, Entitlement, UpdateEntitlementCommandInput,
} from "@aws-sdk/client-appstream";
import type { AppStreamApi } from "../aws/api.js";
import { kindOf } from "../aws/errors.js";
import { collect } from "../aws/paginate.js";
import { closest } from "../manifest/suggest.js";
import type { DesiredResource, FieldTable, LiveResource, RuleViolation, StepDraft } from "./contract.js";
import { defineDerivedKind, type AssociationFacts, type OpCtx, type OpFn } from "./kind.js";
import { createOrRaced, deleteOrGone, found, GONE_NOTE, param } from "./op-helpers.js";
import { list, name, obj, oneOfEnum, str, type JsonSchema } from "./schema-dsl.js";

/** The SAML PrincipalTag names EntitlementAttribute.Name documents; the service refuses others (ENT-03). */
export const ENTITLEMENT_ATTRIBUTE_NAMES = ["roles", "department", "organization", "groups", "title", "costCenter", "userType"] as const;

export interface EntitlementAttribute {
  name: string;
  value: string;
}

/** One entry of a stack's `entitlements`. */
export interface EntitlementEntry {
  name: string;
  description?: string;
  appVisibility: "ALL" | "ASSOCIATED";
  attributes: EntitlementAttribute[];
  applications?: string[];
}

/** The derived resource's spec: the entry plus the stack that holds it. */
interface EntitlementSpec {
  description?: string;
  appVisibility?: string;
  attributes?: EntitlementAttribute[];
  applications?: string[];
}

const byPair = (a: EntitlementAttribute, b: EntitlementAttribute) => a.name.localeCompare(b.name) || a.value.localeCompare(b.value);
/** Attributes and applications are sets: the service keeps no meaningful order. */
const sortedAttributes = (v: unknown): unknown => [...(v as EntitlementAttribute[])].map((a) => ({ name: a.name, value: a.value })).sort(byPair);
const sortedNames = (v: unknown): unknown => [...(v as string[])].sort();

const attributesSchema = list(
  obj(
    {
      name: str({ min: 1, description: `SAML PrincipalTag attribute: ${ENTITLEMENT_ATTRIBUTE_NAMES.join(", ")}` }),
      value: str({ min: 1, description: "The value the federated user's attribute must have" }),
    },
    ["name", "value"],
  ),
  { min: 1, unique: true, description: "Matched against the user's SAML attributes (compared without order)" },
);
const applicationsSchema = list(str({ min: 1 }), { unique: true, description: "Application names entitled (with appVisibility ASSOCIATED; compared without order)" });
const descriptionSchema = str({ max: 256 });
const visibilitySchema = oneOfEnum(["ALL", "ASSOCIATED"], "ALL: every application of the stack; ASSOCIATED: only those listed in applications");

const fields: FieldTable<EntitlementSpec> = {
  description: { role: "api", mode: "live", awsDefault: "", schema: descriptionSchema },
  appVisibility: { role: "api", mode: "live", schema: visibilitySchema },
  attributes: { role: "api", mode: "live", canonical: sortedAttributes, schema: attributesSchema },
  applications: { role: "api", mode: "live", awsDefault: [], canonical: sortedNames, schema: applicationsSchema },
};

/** The schema of a stack's `entitlements` field. */
export const entitlementsSchema = (): JsonSchema =>
  list(
    obj(
      {
        name: name("Entitlement name, unique within the stack (immutable)"),
        description: descriptionSchema,
        appVisibility: visibilitySchema,
        attributes: attributesSchema,
        applications: applicationsSchema,
      },
      ["name", "appVisibility", "attributes"],
    ),
    {
      description:
        "Entitlements: which applications SAML 2.0 federated users see, by their SAML attributes. User-pool and streaming-URL users "
        + "are entitled to every application of the stack; entitlements do not apply to the desktop stream view. Left out, the "
          + "stack's entitlements are not managed (existing ones stay; drift lists them as unmanaged; plan --prune deletes them); "
          + "`[]` deletes them",
    },
  );

/** Cross-field rules of a stack's entitlements (paths relative to the stack entry). */
export function entitlementRules(entries: readonly EntitlementEntry[] | undefined): RuleViolation[] {
  const out: RuleViolation[] = [];
  const names = (entries ?? []).map((e) => e.name);
  (entries ?? []).forEach((e, i) => {
    const at = ["entitlements", i];
    if (names.indexOf(e.name) !== i) out.push({ code: "rule.entitlement", path: [...at, "name"], message: `entitlement ${e.name} is listed twice in this stack` });
    (e.attributes ?? []).forEach((a, j) => {
      if ((ENTITLEMENT_ATTRIBUTE_NAMES as readonly string[]).includes(a.name)) return;
      const guess = closest(a.name, ENTITLEMENT_ATTRIBUTE_NAMES);
      // A warning: AWS may document more SAML attributes later; today it refuses this one.
      out.push({
        code: "rule.entitlement", path: [...at, "attributes", j, "name"], severity: "warning",
        message: `attribute ${a.name} is none of the SAML attributes AWS documents (${ENTITLEMENT_ATTRIBUTE_NAMES.join(", ")}); AWS will refuse it`,
        ...(guess ? { hint: `did you mean \`${guess}\`?` } : {}),
      });
    });
    if (e.appVisibility === "ALL" && e.applications?.length) {
      out.push({
        code: "rule.entitlement", path: [...at, "applications"], severity: "warning",
        message: "with appVisibility ALL every application is entitled: the applications listed change nothing users see",
      });
    }
  });
  return out;
}

export const entitlementAddress = (stack: string, name: string): string => `Entitlement/${stack}/${name}`;

/** An entitlement as the manifest writes it (absent description, no applications: left out). */
export function entryOf(spec: Record<string, unknown>): Record<string, unknown> {
  const apps = (spec.applications as string[] | undefined) ?? [];
  return {
    name: spec.name,
    ...(spec.description ? { description: spec.description } : {}),
    appVisibility: spec.appVisibility,
    attributes: sortedAttributes(spec.attributes ?? []),
    ...(apps.length ? { applications: sortedNames(apps) } : {}),
  };
}

/** How a stack's `entitlements` show in drift and export: every field, from the entitlements read. */
export const entitlementAssociation: AssociationFacts = {
  field: "entitlements",
  live(stack, live) {
    const mine = live.filter((l) => l.kind === "Entitlement" && l.spec.stack === stack).map((l) => entryOf(l.spec));
    return mine.length ? mine.sort((a, b) => String(a.name).localeCompare(String(b.name))) : undefined;
  },
  declared(spec) {
    const entries = (spec.entitlements as Record<string, unknown>[] | undefined) ?? [];
    return entries.length ? entries.map(entryOf).sort((a, b) => String(a.name).localeCompare(String(b.name))) : undefined;
  },
};

/** Every page of a listing of one stack's entitlements (all, or the one named). */
async function entitlementsOf(api: AppStreamApi, stack: string): Promise<Entitlement[]> {
  return collect(async (token) => {
    const out = await api.call("DescribeEntitlements", { StackName: stack, ...(token ? { NextToken: token } : {}) });
    return { items: out.Entitlements ?? [], next: out.NextToken };
  }, { label: "DescribeEntitlements" });
}

async function applicationsOf(api: AppStreamApi, stack: string, entitlement: string): Promise<string[]> {
  const apps = await collect(async (token) => {
    const out = await api.call("ListEntitledApplications", { StackName: stack, EntitlementName: entitlement, ...(token ? { NextToken: token } : {}) });
    return { items: out.EntitledApplications ?? [], next: out.NextToken };
  }, { label: "ListEntitledApplications" });
  return apps.map((a) => a.ApplicationIdentifier ?? "").filter((a) => a !== "").sort();
}

export function normalizeEntitlement(e: Entitlement, applications: string[]): LiveResource {
  const stack = e.StackName ?? "";
  const name = e.Name ?? "";
  return {
    kind: "Entitlement", name: `${stack}/${name}`, address: entitlementAddress(stack, name),
    spec: {
      stack, name,
      ...(e.Description ? { description: e.Description } : {}),
      appVisibility: e.AppVisibility,
      attributes: (e.Attributes ?? []).map((a) => ({ name: a.Name ?? "", value: a.Value ?? "" })),
      applications,
    },
  };
}

const attributesParam = (spec: Record<string, unknown>) =>
  ((spec.attributes as EntitlementAttribute[] | undefined) ?? []).map((a) => ({ Name: a.name, Value: a.value }));

const associate = (stack: string, entitlement: string, app: string, after: string[]): StepDraft => ({
  id: `associate:${app}`, op: "entitlement.associate", params: { StackName: stack, EntitlementName: entitlement, ApplicationIdentifier: app }, after,
});
const disassociate = (stack: string, entitlement: string, app: string): StepDraft => ({
  id: `disassociate:${app}`, op: "entitlement.disassociate", params: { StackName: stack, EntitlementName: entitlement, ApplicationIdentifier: app },
});

const entitlementExists = (ctx: OpCtx, stack: string, name: string) =>
  found(async () => (await ctx.call("DescribeEntitlements", { StackName: stack, Name: name })).Entitlements);

export const entitlement = defineDerivedKind({
  kind: "Entitlement",
  // After fleet associations: an application of the stack's fleet's image is named only once the stack has that fleet (ENT-07).
  rank: 65,
  noun: "entitlement",
  fields,
  taggable: false,
  ownership: "owner",
  parents: (l) => [`Stack/${String(l.spec.stack)}`],
  readPer: "Stack",
  ownerKind: "Stack",
  declaredBy: "entitlements",
  ops: {
    "entitlement.create": ((ctx, s) =>
      createOrRaced(
        () => ctx.call("CreateEntitlement", s.params, { resource: s.address }),
        () => entitlementExists(ctx, param(s, "StackName"), param(s, "Name")),
      )) satisfies OpFn<CreateEntitlementCommandInput>,
    "entitlement.update": (async (ctx, s) => void (await ctx.call("UpdateEntitlement", s.params, { resource: s.address }))) satisfies OpFn<UpdateEntitlementCommandInput>,
    "entitlement.delete": ((ctx, s) => deleteOrGone(() => ctx.call("DeleteEntitlement", s.params, { resource: s.address }))) satisfies OpFn<DeleteEntitlementCommandInput>,
    // Associating an application already associated succeeds without change (ENT-07).
    "entitlement.associate": (async (ctx, s) =>
      void (await ctx.call("AssociateApplicationToEntitlement", s.params, { resource: s.address }))) satisfies OpFn<AssociateApplicationToEntitlementCommandInput>,
    "entitlement.disassociate": (async (ctx, s) => {
      try {
        await ctx.call("DisassociateApplicationFromEntitlement", s.params, { resource: s.address });
        return undefined;
      } catch (err) {
        // Not associated (any more): what the step was to achieve (ENT-08).
        if (kindOf(err) === "not-found") return GONE_NOTE;
        throw err;
      }
    }) satisfies OpFn<DisassociateApplicationFromEntitlementCommandInput>,
  },
  async read(ctx, prior) {
    const perStack = await ctx.map(prior.of("Stack"), async (st) => {
      const ents = await entitlementsOf(ctx.api, st.name);
      return ctx.map(ents, async (e) => normalizeEntitlement(e, await applicationsOf(ctx.api, st.name, e.Name ?? "")));
    });
    return perStack.flat();
  },
  derive(m) {
    const out: DesiredResource[] = [];
    const apps = new Set(((m as Record<string, unknown>).applications as { name?: string }[] | undefined ?? []).map((a) => a.name));
    (m.stacks ?? []).forEach((s, i) => {
      const stack = s.name as string;
      ((s.entitlements as EntitlementEntry[] | undefined) ?? []).forEach((e, j) => {
        const declaredApps = e.applications ?? [];
        out.push({
          kind: "Entitlement", name: `${stack}/${e.name}`, address: entitlementAddress(stack, e.name),
          spec: {
            stack, name: e.name, ...(e.description !== undefined ? { description: e.description } : {}),
            appVisibility: e.appVisibility, attributes: e.attributes, applications: declaredApps,
          },
          pointer: `/stacks/${i}/entitlements/${j}`,
          // Applications of this manifest are created first; others are the fleet image's or managed elsewhere.
          dependsOn: [`Stack/${stack}`, ...declaredApps.filter((a) => apps.has(a)).map((a) => `Application/${a}`)],
        });
      });
    });
    return out;
  },
  create(d) {
    const steps: StepDraft[] = [{
      id: "create", op: "entitlement.create",
      params: {
        Name: d.spec.name, StackName: d.spec.stack, AppVisibility: d.spec.appVisibility, Attributes: attributesParam(d.spec),
        ...(d.spec.description ? { Description: d.spec.description } : {}),
      },
    }];
    for (const app of (d.spec.applications as string[] | undefined) ?? []) steps.push(associate(String(d.spec.stack), String(d.spec.name), app, ["create"]));
    return steps;
  },
  update(d, l, changes) {
    const stack = String(d.spec.stack);
    const name = String(d.spec.name);
    const steps: StepDraft[] = [];
    if (changes.some((c) => c.field !== "applications")) {
      // Description has no "none" value: removing it from the manifest sends the empty string.
      steps.push({
        id: "update", op: "entitlement.update",
        params: { Name: name, StackName: stack, Description: (d.spec.description as string | undefined) ?? "", AppVisibility: d.spec.appVisibility, Attributes: attributesParam(d.spec) },
      });
    }
    if (changes.some((c) => c.field === "applications")) {
      const want = new Set((d.spec.applications as string[] | undefined) ?? []);
      const have = new Set((l.spec.applications as string[] | undefined) ?? []);
      for (const app of [...have].sort()) if (!want.has(app)) steps.push(disassociate(stack, name, app));
      for (const app of [...want].sort()) if (!have.has(app)) steps.push(associate(stack, name, app, []));
    }
    return { steps, disruption: "none", reason: "" };
  },
  // DeleteEntitlement removes its application associations too (ENT-06).
  remove: (l) => [{ id: "delete", op: "entitlement.delete", params: { Name: l.spec.name, StackName: l.spec.stack } }],
});
