/**
 * Directory configs (reference §9): Create, Describe, Update, Delete. Keyed by DirectoryName, the identity.
 * The service-account password is write-only: Describe/Create/Update echo `ServiceAccountCredentials.AccountName`
 * only (S001:L5008). The emulator keeps only a random marker that says "a password was set" and changes
 * with every write — nothing here ever needs the value, and the state file of `--local` mode must hold
 * neither the secret the manifest takes from the environment (DESIGN §3) nor a hash of it, which a short
 * password would not survive an offline guess against.
 * DeleteDirectoryConfig is refused while a fleet or image builder names the directory in DomainJoinInfo.
 * Rules DC-xx in SPEC.md.
 */
import { randomBytes } from "node:crypto";
import type {
  CreateDirectoryConfigRequest,
  DeleteDirectoryConfigRequest,
  DescribeDirectoryConfigsRequest,
  UpdateDirectoryConfigRequest,
} from "@aws-sdk/client-appstream";
import { op, visibleAtFor, type OpContext, type OpHandler } from "./context.js";
import { alreadyExists, inUse, notFound } from "./errors.js";
import { GONE } from "./images.js";
import { epoch } from "./out.js";
import { pageSizeOf, paginate } from "./paginate.js";
import { selectByNames } from "./select.js";
import type { BaseRecord, Table } from "./store.js";
import { effective, type Lifecycle } from "./transitions.js";

/** A stored directory config, password included. */
export interface DirectoryConfigRecord extends BaseRecord {
  DirectoryName: string;
  OrganizationalUnitDistinguishedNames: string[];
  /** A random marker per write of the password: proves it was set and shows a rotation, derived from nothing. */
  ServiceAccountCredentials?: { AccountName: string; AccountPasswordMarker: string };
  CertificateBasedAuthProperties?: { Status?: string; CertificateAuthorityArn?: string };
}

/** The directory configs of the request's region. */
export function directoriesOf(ctx: OpContext): Table<DirectoryConfigRecord> {
  return ctx.store.table<DirectoryConfigRecord>(ctx.region, "directoryConfigs");
}

/** The directory config `name`; RNFE when absent (DC-04; also CreateImageBuilder's DomainJoinInfo, IB-08). */
export function requireDirectory(ctx: OpContext, name: string): DirectoryConfigRecord {
  const rec = directoriesOf(ctx)[name];
  if (!rec) throw notFound(`The directory config ${name} does not exist.`);
  return rec;
}

/** The API `DirectoryConfig` shape: never the password (DC-02). */
function view(rec: DirectoryConfigRecord): Record<string, unknown> {
  return {
    DirectoryName: rec.DirectoryName,
    OrganizationalUnitDistinguishedNames: [...rec.OrganizationalUnitDistinguishedNames],
    ServiceAccountCredentials: rec.ServiceAccountCredentials ? { AccountName: rec.ServiceAccountCredentials.AccountName } : undefined,
    CertificateBasedAuthProperties: rec.CertificateBasedAuthProperties ? { ...rec.CertificateBasedAuthProperties } : undefined,
    CreatedTime: epoch(rec.createdAt),
  };
}

function credentials(input: { ServiceAccountCredentials?: { AccountName?: string; AccountPassword?: string } }) {
  const c = input.ServiceAccountCredentials;
  if (!c) return undefined;
  return { AccountName: String(c.AccountName), AccountPasswordMarker: `set:${randomBytes(12).toString("hex")}` };
}

const createDirectoryConfig = op<CreateDirectoryConfigRequest>((ctx, input) => {
  const name = String(input.DirectoryName);
  const table = directoriesOf(ctx);
  if (table[name]) throw alreadyExists(`The directory config ${name} already exists.`);
  const rec: DirectoryConfigRecord = {
    DirectoryName: name,
    OrganizationalUnitDistinguishedNames: [...(input.OrganizationalUnitDistinguishedNames ?? [])],
    ServiceAccountCredentials: credentials(input),
    CertificateBasedAuthProperties: input.CertificateBasedAuthProperties ? { ...input.CertificateBasedAuthProperties } : undefined,
    createdAt: ctx.now,
    visibleAt: visibleAtFor(ctx),
  };
  table[name] = rec;
  return { DirectoryConfig: view(rec) };
});

const describeDirectoryConfigs = op<DescribeDirectoryConfigsRequest>((ctx, input) => {
  const table = directoriesOf(ctx);
  const names = input.DirectoryNames ?? [];
  const list = selectByNames(table, names, ctx.now, (n) => notFound(`The directory config ${n} does not exist.`), (r) => r.DirectoryName);
  const page = paginate(list, `DescribeDirectoryConfigs|${names.join(",")}`, input.NextToken, pageSizeOf(input.MaxResults, ctx.config.pageSize));
  return { DirectoryConfigs: page.items.map(view), NextToken: page.nextToken };
});

const updateDirectoryConfig = op<UpdateDirectoryConfigRequest>((ctx, input) => {
  const rec = requireDirectory(ctx, String(input.DirectoryName));
  // Members left out keep their value (DC-05); the password is replaced only when credentials are sent.
  if (input.OrganizationalUnitDistinguishedNames !== undefined) rec.OrganizationalUnitDistinguishedNames = [...input.OrganizationalUnitDistinguishedNames];
  if (input.ServiceAccountCredentials !== undefined) rec.ServiceAccountCredentials = credentials(input);
  if (input.CertificateBasedAuthProperties !== undefined) rec.CertificateBasedAuthProperties = { ...input.CertificateBasedAuthProperties };
  return { DirectoryConfig: view(rec) };
});

interface DomainJoined {
  attrs: { Name: string; DomainJoinInfo?: { DirectoryName?: string } };
  lifecycle: Lifecycle;
}

/** Fleets and image builders that join `directory` (DC-06); gone builders do not count. */
function usersOf(ctx: OpContext, directory: string): string[] {
  const joined = (collection: string, kind: string) =>
    Object.values(ctx.store.table<DomainJoined>(ctx.region, collection))
      .filter((r) => r.attrs.DomainJoinInfo?.DirectoryName === directory && effective(r.lifecycle, ctx.now).state !== GONE)
      .map((r) => `${kind} ${r.attrs.Name}`);
  return [...joined("fleets", "fleet"), ...joined("imageBuilders", "image builder")].sort();
}

const deleteDirectoryConfig = op<DeleteDirectoryConfigRequest>((ctx, input) => {
  const name = String(input.DirectoryName);
  requireDirectory(ctx, name);
  const users = usersOf(ctx, name);
  if (users.length > 0) throw inUse(`The directory config ${name} is in use by ${users.join(", ")}.`);
  delete directoriesOf(ctx)[name];
  return {};
});

/** Directory config operations for the registry in ops.ts. */
export const directoryConfigOps: Record<string, OpHandler> = {
  CreateDirectoryConfig: createDirectoryConfig,
  DescribeDirectoryConfigs: describeDirectoryConfigs,
  UpdateDirectoryConfig: updateDirectoryConfig,
  DeleteDirectoryConfig: deleteDirectoryConfig,
};
