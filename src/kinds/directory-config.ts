/**
 * DirectoryConfig (reference §9). The directory name is the identity; OUs, service account and
 * certificate-based auth update in place. The service never returns the password, so it is write-only:
 * it cannot be diffed, and a rotation is sent explicitly (see the plan's write-only handling).
 */
import type {
  CreateDirectoryConfigCommandInput, DeleteDirectoryConfigCommandInput, DirectoryConfig, UpdateDirectoryConfigCommandInput,
} from "@aws-sdk/client-appstream";
import { collect } from "../aws/paginate.js";
import type { DesiredResource, FieldTable, LiveResource, RuleViolation } from "./contract.js";
import { defineKind, type OpFn } from "./kind.js";
import { createOrRaced, deleteOrGone, found, param, withSecrets } from "./op-helpers.js";
import { apiFields, specFromApi, withDefaults } from "./steps.js";
import { arn, list, obj, openEnum, protect, str } from "./schema-dsl.js";
import { UNBOUNDED_PAGE } from "./page-sizes.js";

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
    // The service returns the account name once credentials are set, never the password (§9).
    readBack: (v) => ({ accountName: (v as { accountName?: string }).accountName }),
    removal: { keep: "UpdateDirectoryConfig cannot remove credentials once set" },
    schema: obj(
      {
        accountName: str({ min: 1, description: "DOMAIN\\account with rights to join computers" }),
        accountPassword: str({ min: 1, max: 127, description: "Use ${env:NAME}; never printed or saved" }),
      },
      ["accountName", "accountPassword"],
    ),
  },
  certificateBasedAuthProperties: {
    role: "api", mode: "live", awsDefault: { status: "DISABLED" },
    // Off unless switched on; a certificate authority kept with a DISABLED status is not in effect.
    canonical: (v) => {
      const c = v as { status?: string; certificateAuthorityArn?: string };
      return !c.status || c.status === "DISABLED" ? { status: "DISABLED" } : c;
    },
    schema: obj({
      status: openEnum(["DISABLED", "ENABLED", "ENABLED_NO_DIRECTORY_LOGIN_FALLBACK"]),
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


// ---------------------------------------------------------------------------------------------------
// Planning

export function normalizeDirectoryConfig(dc: DirectoryConfig): LiveResource {
  const name = dc.DirectoryName ?? "";
  // The password is never returned (§9); AccountName is, so it alone is compared.
  return {
    kind: "DirectoryConfig", name, address: `DirectoryConfig/${name}`,
    spec: specFromApi(dc, ["DirectoryName", "OrganizationalUnitDistinguishedNames", "ServiceAccountCredentials", "CertificateBasedAuthProperties"]),
    ...(dc.CreatedTime ? { createdTime: dc.CreatedTime.getTime() } : {}),
  };
}

/**
 * Request members; the password goes in as `{ $secret: pointer }` so that plans — shown or saved —
 * never hold it: the executor reads it from the manifest's environment at apply time.
 */
function request(d: DesiredResource, names: readonly string[]): Record<string, unknown> {
  const out = apiFields(d.spec, names.filter((n) => n !== "serviceAccountCredentials"));
  const creds = d.spec.serviceAccountCredentials as { accountName: string } | undefined;
  if (names.includes("serviceAccountCredentials") && creds) {
    out.ServiceAccountCredentials = {
      AccountName: creds.accountName,
      AccountPassword: { $secret: `${d.pointer}/serviceAccountCredentials/accountPassword` },
    };
  }
  return out;
}

const MEMBERS = ["organizationalUnitDistinguishedNames", "serviceAccountCredentials", "certificateBasedAuthProperties"];

export const directoryConfig = defineKind<DirectoryConfigSpec>()({
  kind: "DirectoryConfig",
  rank: 10,
  noun: "directory config",
  key: "directoryConfigs",
  identity: "directoryName",
  required: ["directoryName", "organizationalUnitDistinguishedNames"],
  taggable: false,
  // Not taggable, so ownership cannot be proven: never pruned.
  ownership: "never",
  external: "Directory configs managed elsewhere that fleets and builders may join",
  // The service never returns the password (§9): export writes a variable the operator sets.
  export: {
    secret: {
      path: ["serviceAccountCredentials", "accountPassword"],
      comment: " the service never returns the password: set this variable before plan or apply",
      note: (vars) => `directory passwords cannot be read from AWS: set ${vars.join(", ")} before plan (they are write-only, so plan shows no change for them)`,
    },
  },
  ops: {
    "directory-config.create": ((ctx, s) =>
      createOrRaced(
        () => ctx.call("CreateDirectoryConfig", withSecrets(ctx, s.params), { resource: s.address }),
        () => found(async () => (await ctx.call("DescribeDirectoryConfigs", { DirectoryNames: [param(s, "DirectoryName")] })).DirectoryConfigs),
      )) satisfies OpFn<CreateDirectoryConfigCommandInput>,
    "directory-config.update": (async (ctx, s) =>
      void (await ctx.call("UpdateDirectoryConfig", withSecrets(ctx, s.params), { resource: s.address }))) satisfies OpFn<UpdateDirectoryConfigCommandInput>,
    "directory-config.delete": ((ctx, s) =>
      deleteOrGone(() => ctx.call("DeleteDirectoryConfig", s.params, { resource: s.address }))) satisfies OpFn<DeleteDirectoryConfigCommandInput>,
  },
  description: "An Active Directory configuration that fleets and image builders join",
  fields,
  refs: [],
  rules,
  async read(ctx) {
    const configs = await collect(async (token) => {
      const out = await ctx.api.call("DescribeDirectoryConfigs", { MaxResults: UNBOUNDED_PAGE, ...(token ? { NextToken: token } : {}) });
      return { items: out.DirectoryConfigs ?? [], next: out.NextToken };
    }, { label: "DescribeDirectoryConfigs" });
    return configs.map(normalizeDirectoryConfig);
  },
  async readOne(ctx, name) {
    const config = (await ctx.api.call("DescribeDirectoryConfigs", { DirectoryNames: [name] })).DirectoryConfigs?.[0];
    return config && normalizeDirectoryConfig(config);
  },
  create(d) {
    return [{ id: "create", op: "directory-config.create", params: { DirectoryName: d.name, ...request(d, MEMBERS) } }];
  },
  update(d, _l, changes) {
    const api = changes.filter((c) => c.role === "api");
    const names = api.map((c) => c.field);
    // A removed field with a service default is sent as that default: left out, the update keeps it.
    const spec = withDefaults(d.spec, api, fields);
    const steps = names.length
      ? [{ id: "update", op: "directory-config.update", params: { DirectoryName: d.name, ...request({ ...d, spec }, names) } }]
      : [];
    return { steps, disruption: "none", reason: "" };
  },
  remove(l) {
    return [{ id: "delete", op: "directory-config.delete", params: { DirectoryName: l.name } }];
  },
});
