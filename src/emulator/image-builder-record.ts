/**
 * The stored image builder, and the lookups other areas make of builders (licensed software): a leaf, so
 * that image-builders.ts, which installs software at create, and software.ts do not import each other.
 */
import type { OpContext } from "./context.js";
import { notFound } from "./errors.js";
import { sweep } from "./images.js";
import type { BaseRecord, Table } from "./store.js";
import type { Lifecycle } from "./transitions.js";

/** The API `ImageBuilder` members the emulator stores (State and CreatedTime are computed). */
export interface ImageBuilderAttrs {
  Name: string;
  Arn: string;
  ImageArn: string;
  InstanceType: string;
  Platform?: string;
  Description?: string;
  DisplayName?: string;
  VpcConfig?: { SubnetIds?: string[]; SecurityGroupIds?: string[] };
  IamRoleArn?: string;
  EnableDefaultInternetAccess: boolean;
  DomainJoinInfo?: { DirectoryName?: string; OrganizationalUnitDistinguishedName?: string };
  AppstreamAgentVersion?: string;
  AccessEndpoints?: { EndpointType: string; VpceId?: string }[];
  RootVolumeConfig?: { VolumeSizeInGb?: number };
  DisableIMDSV1?: boolean;
}

/** A stored image builder. */
export interface ImageBuilderRecord extends BaseRecord {
  attrs: ImageBuilderAttrs;
  lifecycle: Lifecycle;
}

/** The image builders of the request's region, with gone ones purged. */
export function buildersOf(ctx: OpContext): Table<ImageBuilderRecord> {
  const table = ctx.store.table<ImageBuilderRecord>(ctx.region, "imageBuilders");
  sweep(ctx, table);
  return table;
}

/** An image builder by name (mutations see through eventual consistency); RNFE when absent (IB-04). */
export function requireBuilder(ctx: OpContext, name: unknown): ImageBuilderRecord {
  const rec = typeof name === "string" ? buildersOf(ctx)[name] : undefined;
  if (!rec) throw notFound(`The image builder ${String(name)} does not exist.`);
  return rec;
}
