/**
 * DirectoryConfig (reference §9). The directory name is the identity; OUs, service account and
 * certificate-based auth update in place. The service never returns the password, so it is write-only:
 * it cannot be diffed, and a rotation is sent explicitly (see the plan's write-only handling).
 */
import type { FieldTable, ListedKind, RuleViolation } from "./contract.js";
import { arn, list, obj, oneOfEnum, protect, str } from "./schema-dsl.js";

export interface DirectoryConfigSpec {
  directoryName: string;
  organizationalUnitDistinguishedNames: string[];
  serviceAccountCredentials?: { accountName: string; accountPassword: string };
  certificateBasedAuthProperties?: {
    status?: "DISABLED" | "ENABLED" | "ENABLED_NO_DIRECTORY_LOGIN_FALLBACK";
    certificateAuthorityArn?: string;
  };
  protect?: boolean;
}

/** A fully qualified domain name; the API model leaves DirectoryName unconstrained, the service does not. */
const FQDN = "^(?=.{1,253}$)([A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\\.)+[A-Za-z]{2,63}$";

const fields: FieldTable<DirectoryConfigSpec> = {
  directoryName: { role: "identity", mode: "replace", schema: str({ pattern: FQDN, description: "Fully qualified domain name, e.g. corp.example.com" }) },
  organizationalUnitDistinguishedNames: {
    role: "api", mode: "live",
    schema: list(str({ min: 1, max: 2000 }), { min: 1, unique: true, description: "OUs for computer accounts (compared without order)" }),
  },
  serviceAccountCredentials: {
    role: "api", mode: "write-only", sensitive: ["accountPassword"],
    schema: obj(
      {
        accountName: str({ min: 1, description: "DOMAIN\\account with rights to join computers" }),
        accountPassword: str({ min: 1, max: 127, description: "Use ${env:NAME}; never printed or saved" }),
      },
      ["accountName", "accountPassword"],
    ),
  },
  certificateBasedAuthProperties: {
    role: "api", mode: "live",
    schema: obj({
      status: oneOfEnum(["DISABLED", "ENABLED", "ENABLED_NO_DIRECTORY_LOGIN_FALLBACK"]),
      certificateAuthorityArn: arn("AWS Private CA used for certificate-based sign-in"),
    }),
  },
  protect: { role: "meta", mode: "live", schema: protect() },
};

function rules(s: DirectoryConfigSpec): RuleViolation[] {
  const cba = s.certificateBasedAuthProperties;
  if (cba?.status && cba.status !== "DISABLED" && !cba.certificateAuthorityArn) {
    return [{
      code: "rule.directory", path: ["certificateBasedAuthProperties"],
      message: `certificate-based auth ${cba.status} needs certificateAuthorityArn`,
    }];
  }
  return [];
}

export const directoryConfigKind: ListedKind<DirectoryConfigSpec> = {
  kind: "DirectoryConfig",
  key: "directoryConfigs",
  identity: "directoryName",
  required: ["directoryName", "organizationalUnitDistinguishedNames"],
  taggable: false,
  description: "An Active Directory configuration that fleets and image builders join",
  fields,
  refs: [],
  rules,
};
