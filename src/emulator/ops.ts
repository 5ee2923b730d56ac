/**
 * The operation registry: X-Amz-Target operation name → handler. Each area file exports a map of its
 * operations; add an area by importing its map and spreading it below (one line each).
 */
import { associationOps } from "./associations.js";
import type { OpHandler } from "./context.js";
import { fleetOps } from "./fleets.js";
import { sessionOps } from "./sessions.js";
import { stackOps } from "./stacks.js";
import { tagOps } from "./tags.js";
import { usageReportOps } from "./usage-reports.js";
import { directoryConfigOps } from "./directory-configs.js";
import { imageBuilderOps } from "./image-builders.js";
import { imageCreateOps } from "./image-create.js";
import { imagePermissionOps } from "./image-permissions.js";
import { imageOps } from "./images.js";
import { userAssociationOps } from "./user-associations.js";
import { userOps } from "./users.js";
// Themes, export image tasks, licensed software, streaming URLs and drains.
import { exportTaskOps } from "./export-tasks.js";
import { softwareOps } from "./software.js";
import { streamingOps } from "./streaming.js";
import { themeOps } from "./themes.js";
import { applicationFleetOps } from "./application-fleets.js";
import { applicationOps } from "./applications.js";
import { entitlementOps } from "./entitlements.js";
import { appBlockOps } from "./app-blocks.js";
import { appBlockBuilderOps } from "./app-block-builders.js";
import { appBlockBuilderAssociationOps } from "./app-block-builder-associations.js";

export const OPS: Record<string, OpHandler> = {
  ...fleetOps,
  ...stackOps,
  ...associationOps,
  ...tagOps,
  ...sessionOps,
  ...usageReportOps,
  ...imageBuilderOps,
  ...imageOps,
  ...imageCreateOps,
  ...imagePermissionOps,
  ...userOps,
  ...userAssociationOps,
  ...directoryConfigOps,
  // Themes, export image tasks, licensed software, streaming URLs and drains.
  ...themeOps, ...exportTaskOps, ...softwareOps, ...streamingOps,
  // Applications, their fleet associations and entitlements (Elastic fleets, reference §12.2, §12.3).
  ...applicationOps,
  ...applicationFleetOps,
  ...entitlementOps,
  // App blocks, app block builders and their associations (reference §12.1, §12.4).
  ...appBlockOps,
  ...appBlockBuilderOps,
  ...appBlockBuilderAssociationOps,
};
