/**
 * User of the AppStream user pool (reference §8). The user name is the e-mail address and is
 * case-sensitive; names cannot be updated, so a first/last-name change is a replace — which sends the
 * welcome e-mail again unless `messageAction: SUPPRESS`. `enabled` toggles with Enable/DisableUser.
 */
import type { FieldTable, ListedKind, ManifestView, RuleViolation } from "./contract.js";
import { bool, ignoreChanges, list, name, oneOfEnum, protect, str } from "./schema-dsl.js";

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

const personName = str({ max: 2048, pattern: "^[A-Za-z0-9_\\-\\s]+$" });

const fields: FieldTable<UserSpec> = {
  userName: {
    role: "identity", mode: "replace",
    schema: str({ min: 1, max: 128, pattern: "^[\\p{L}\\p{M}\\p{S}\\p{N}\\p{P}]+$", description: "E-mail address (case-sensitive)" }),
  },
  authenticationType: {
    role: "api", mode: "replace", awsDefault: "USERPOOL",
    schema: oneOfEnum(["USERPOOL"], "Only user-pool users can be managed (default USERPOOL)"),
  },
  firstName: { role: "api", mode: "replace", schema: personName },
  lastName: { role: "api", mode: "replace", schema: personName },
  enabled: { role: "api", mode: "live", awsDefault: true, schema: bool("Whether the user can sign in (default true)") },
  messageAction: {
    role: "api", mode: "write-only",
    schema: oneOfEnum(["SUPPRESS"], "SUPPRESS: do not send the welcome e-mail (at create, and on a replace)"),
  },
  stacks: { role: "association", mode: "live", schema: list(name("Stack name"), { unique: true, description: "Stacks the user may use" }) },
  protect: { role: "meta", mode: "live", schema: protect() },
  ignoreChanges: { role: "meta", mode: "live", schema: ignoreChanges() },
};

/** User-pool users cannot be assigned to stacks whose fleet is domain-joined (§5, §8.2). */
function rules(s: UserSpec, m: ManifestView): RuleViolation[] {
  const out: RuleViolation[] = [];
  (s.stacks ?? []).forEach((stackName, i) => {
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

export const userKind: ListedKind<UserSpec> = {
  kind: "User",
  key: "users",
  identity: "userName",
  required: ["userName"],
  taggable: false,
  description: "A user-pool user and the stacks assigned to them",
  fields,
  refs: [{ path: ["stacks"], each: true, target: "stacks", code: "ref.unknown-stack", names: (s) => s.stacks ?? [] }],
  rules,
};
