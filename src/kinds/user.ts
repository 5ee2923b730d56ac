/**
 * User of the AppStream user pool (reference §8). The user name is the e-mail address and is
 * case-sensitive; names cannot be updated, so a first/last-name change is a replace — which sends the
 * welcome e-mail again unless `messageAction: SUPPRESS`. `enabled` toggles with Enable/DisableUser.
 */
import type {
  CreateUserCommandInput, DeleteUserCommandInput, DisableUserCommandInput, EnableUserCommandInput, User, User as AwsUser,
} from "@aws-sdk/client-appstream";
import type { AppStreamApi } from "../aws/api.js";
import { collect } from "../aws/paginate.js";
import type { FieldTable, LiveResource, ManifestView, RuleViolation, StepDraft } from "./contract.js";
import { defineKind, type OpFn } from "./kind.js";
import { createOrRaced, deleteOrGone } from "./op-helpers.js";
import { chain, LISTED, specFromApi, waitStep } from "./steps.js";
import { bool, ignoreChanges, list, name, oneOfEnum, protect, str } from "./schema-dsl.js";
import { UNBOUNDED_PAGE } from "./page-sizes.js";

export interface UserSpec {
  userName: string;
  authenticationType?: "USERPOOL";
  firstName?: string;
  lastName?: string;
  enabled?: boolean;
  messageAction?: "SUPPRESS";
  stacks?: string[];
  protect?: boolean;
  ignoreChanges?: string[];
}

/** The API's Username shape: 1–128 characters, the user's e-mail address, case-sensitive (§8.1). */
export const USER_NAME_SCHEMA = str({ min: 1, max: 128, pattern: "^[\\p{L}\\p{M}\\p{S}\\p{N}\\p{P}]+$", description: "E-mail address (case-sensitive)" });

/** Leaving a name out keeps the user as it is rather than re-creating it (which re-sends the welcome e-mail). */
const KEEP_NAME = { keep: "names cannot be updated; leaving one out keeps the user rather than re-creating it" } as const;

// The model's `\s` is Java's, ASCII whitespace only; JavaScript's would also let U+00A0 and friends through.
const personName = str({ max: 2048, pattern: "^[A-Za-z0-9_\\- \\t\\n\\x0B\\f\\r]+$" });

const fields: FieldTable<UserSpec> = {
  userName: { role: "identity", mode: "replace", schema: USER_NAME_SCHEMA },
  authenticationType: {
    role: "api", mode: "replace", awsDefault: "USERPOOL",
    schema: oneOfEnum(["USERPOOL"], "Only user-pool users can be managed (default USERPOOL)"),
  },
  firstName: { role: "api", mode: "replace", removal: KEEP_NAME, schema: personName },
  lastName: { role: "api", mode: "replace", removal: KEEP_NAME, schema: personName },
  enabled: { role: "api", mode: "live", awsDefault: true, schema: bool("Whether the user can sign in (default true)") },
  messageAction: {
    role: "api", mode: "write-only", removal: { keep: "it only says whether the welcome e-mail is sent at create" },
    schema: oneOfEnum(["SUPPRESS"], "SUPPRESS: do not send the welcome e-mail (at create, and on a replace)"),
  },
  stacks: { role: "association", mode: "live", schema: list(name("Stack name"), { unique: true, description: "Stacks the user may use" }) },
  protect: { role: "meta", mode: "live", schema: protect() },
  ignoreChanges: { role: "meta", mode: "live", schema: ignoreChanges() },
};

/** User-pool users cannot be assigned to stacks whose fleet is domain-joined (§5, §8.2). */
export function userpoolDomainRules(stacks: readonly string[] | undefined, m: ManifestView): RuleViolation[] {
  const out: RuleViolation[] = [];
  (stacks ?? []).forEach((stackName, i) => {
    const fleetName = m.find("stacks", stackName)?.fleet;
    if (typeof fleetName !== "string") return;
    const join = m.find("fleets", fleetName)?.domainJoinInfo as { directoryName?: string } | undefined;
    if (join?.directoryName) {
      out.push({
        code: "rule.userpool-domain", path: ["stacks", i],
        message: `user-pool users cannot join stack ${stackName}: its fleet ${fleetName} is joined to ${join.directoryName}`,
      });
    }
  });
  return out;
}

const rules = (s: UserSpec, m: ManifestView): RuleViolation[] => userpoolDomainRules(s.stacks, m);


// ---------------------------------------------------------------------------------------------------
// Planning

export function normalizeUser(u: User): LiveResource {
  const name = u.UserName ?? "";
  return {
    kind: "User", name, address: `User/${name}`,
    spec: specFromApi(u, ["UserName", "FirstName", "LastName", "Enabled", "AuthenticationType"]),
    ...(u.Arn ? { arn: u.Arn } : {}),
    ...(u.Status ? { state: u.Status } : {}),
    ...(u.CreatedTime ? { createdTime: u.CreatedTime.getTime() } : {}),
  };
}

const identity = (name: string) => ({ UserName: name, AuthenticationType: "USERPOOL" as const });

/** Users have no name filter (§8.1): one scan of the pool serves every user of the manifest, and every wait. */
async function describeUsers(api: AppStreamApi): Promise<AwsUser[]> {
  return collect(async (token) => {
    const out = await api.call("DescribeUsers", { AuthenticationType: "USERPOOL", MaxResults: UNBOUNDED_PAGE, ...(token ? { NextToken: token } : {}) });
    return { items: out.Users ?? [], next: out.NextToken };
  }, { label: "DescribeUsers" });
}

export const user = defineKind<UserSpec>()({
  kind: "User",
  rank: 70,
  noun: "user",
  key: "users",
  identity: "userName",
  required: ["userName"],
  taggable: false,
  ownership: "user-pool",
  description: "A user-pool user and the stacks assigned to them",
  fields,
  refs: [{ path: ["stacks"], each: true, target: "stacks", code: "ref.unknown-stack", names: (s) => s.stacks ?? [] }],
  rules,
  association: {
    field: "stacks",
    live: (name, live) => live.filter((l) => l.kind === "UserAssociation" && l.spec.user === name).map((l) => String(l.spec.stack)).sort(),
    declared: (spec) => [...((spec.stacks as string[] | undefined) ?? [])].sort(),
  },
  // A created user is waited for until the pool lists it (eventual consistency, §8.1).
  waiter: {
    kind: "user",
    timeoutMs: 5 * 60_000,
    read: async (api) => (await describeUsers(api)).map((u) => ({ name: u.UserName ?? "" })),
    name: (u: { name: string }) => u.name,
    state: () => LISTED,
    problem: () => undefined,
    // Each read pages the whole pool: users created in a row are looked for once, after the last create.
    gather: true,
  },
  ops: {
    // A user exists once CreateUser says it already does: there is no describe-by-name (reference §8.1).
    "user.create": ((ctx, s) => createOrRaced(() => ctx.call("CreateUser", s.params, { resource: s.address }), async () => true)) satisfies OpFn<CreateUserCommandInput>,
    "user.delete": ((ctx, s) => deleteOrGone(() => ctx.call("DeleteUser", s.params, { resource: s.address }))) satisfies OpFn<DeleteUserCommandInput>,
    "user.enable": (async (ctx, s) =>
      void (await ctx.call("EnableUser", s.params, { allow: ["not-found-after-create"], resource: s.address }))) satisfies OpFn<EnableUserCommandInput>,
    "user.disable": (async (ctx, s) =>
      void (await ctx.call("DisableUser", s.params, { allow: ["not-found-after-create"], resource: s.address }))) satisfies OpFn<DisableUserCommandInput>,
  },
  async read(ctx) {
    return (await describeUsers(ctx.api)).map(normalizeUser);
  },
  create(d) {
    const s = d.spec as unknown as UserSpec;
    const steps: StepDraft[] = [{
      id: "create", op: "user.create",
      params: {
        ...identity(d.name),
        ...(s.firstName !== undefined ? { FirstName: s.firstName } : {}),
        ...(s.lastName !== undefined ? { LastName: s.lastName } : {}),
        ...(s.messageAction ? { MessageAction: s.messageAction } : {}),
      },
    }];
    // Listed before anything uses it (memberships, a plan right after); then disabled if so declared.
    steps.push(waitStep("listed", "user", d.name, LISTED, []));
    if (s.enabled === false) steps.push({ id: "disable", op: "user.disable", params: identity(d.name) });
    return chain(steps);
  },
  update(d, _l, changes) {
    const on = d.spec.enabled !== false;
    const steps: StepDraft[] = changes.some((c) => c.field === "enabled")
      ? [{ id: on ? "enable" : "disable", op: on ? "user.enable" : "user.disable", params: identity(d.name) }]
      : [];
    return { steps, disruption: "none", reason: "" };
  },
  remove(l) {
    return [{ id: "delete", op: "user.delete", params: identity(l.name) }];
  },
  replaceNote(d) {
    return d.spec.messageAction === "SUPPRESS"
      ? "names cannot be updated: the user is deleted and created again (welcome e-mail suppressed)"
      : "names cannot be updated: the user is deleted and created again, which sends the welcome e-mail again (set messageAction: SUPPRESS to avoid it)";
  },
});
