/**
 * UserGroup: a shorthand for many users that share the same stacks and settings, so that a roster of
 * thousands stays readable. It is no AppStream resource: the planner sees the users it stands
 * for, exactly as if they had been written out under `users`.
 */
import type { FieldTable, ListedKind, ManifestView, RuleViolation } from "./contract.js";
import { bool, list, name, oneOfEnum, str } from "./schema-dsl.js";
import { USER_NAME_SCHEMA, userpoolDomainRules } from "./user.js";

export interface UserGroupSpec {
  name: string;
  userNames: string[];
  stacks?: string[];
  enabled?: boolean;
  messageAction?: "SUPPRESS";
}

const fields: FieldTable<UserGroupSpec> = {
  name: { role: "identity", mode: "live", schema: name("A label for the group (not sent to AWS)") },
  userNames: { role: "meta", mode: "live", schema: list(USER_NAME_SCHEMA, { min: 1, description: "E-mail addresses of the members" }) },
  stacks: { role: "meta", mode: "live", schema: list(name("Stack name"), { unique: true, description: "Stacks every member may use" }) },
  enabled: { role: "meta", mode: "live", schema: bool("Whether the members can sign in (default true)") },
  messageAction: { role: "meta", mode: "live", schema: oneOfEnum(["SUPPRESS"], "SUPPRESS: no welcome e-mails") },
};

/** A member listed twice — in this group, an earlier group, or under `users` — is one user declared twice. */
function duplicates(g: UserGroupSpec, m: ManifestView): RuleViolation[] {
  const out: RuleViolation[] = [];
  const earlier = new Set<string>();
  for (const other of m.entries("userGroups")) {
    if (other.name === g.name) break;
    for (const u of (other.userNames as unknown[] | undefined) ?? []) if (typeof u === "string") earlier.add(u);
  }
  const users = m.names("users");
  const seen = new Set<string>();
  g.userNames.forEach((u, i) => {
    const where = seen.has(u) ? "earlier in this group" : earlier.has(u) ? "in an earlier user group" : users.has(u) ? "under users" : undefined;
    if (where) out.push({ code: "name.duplicate", path: ["userNames", i], message: `user ${u} is already declared ${where}` });
    seen.add(u);
  });
  return out;
}

export const userGroupKind: ListedKind<UserGroupSpec, "UserGroup"> = {
  kind: "UserGroup",
  key: "userGroups",
  identity: "name",
  required: ["name", "userNames"],
  taggable: false,
  description: "Many users with the same stacks and settings",
  fields,
  refs: [{ path: ["stacks"], each: true, target: "stacks", code: "ref.unknown-stack", names: (s) => s.stacks ?? [] }],
  rules: (g, m) => [...duplicates(g, m), ...userpoolDomainRules(g.stacks, m)],
  expand: {
    into: "users",
    entries: (g) =>
      g.userNames.map((userName) => ({
        userName,
        ...(g.stacks ? { stacks: g.stacks } : {}),
        ...(g.enabled !== undefined ? { enabled: g.enabled } : {}),
        ...(g.messageAction ? { messageAction: g.messageAction } : {}),
      })),
  },
};
