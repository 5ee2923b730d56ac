/**
 * Which AppStream kinds the Resource Groups Tagging index covers, by their `ResourceTypeFilters` string
 * (`service:type`, the type as it appears in the ARN). Their tags are read many to a page through
 * GetResources; a taggable kind not listed here (images, which the index does not cover) is read one
 * ListTagsForResource at a time.
 */
import type { KindName } from "./contract.js";

export const TAG_INDEX_TYPES: Readonly<Partial<Record<KindName, string>>> = {
  Fleet: "appstream:fleet",
  Stack: "appstream:stack",
  ImageBuilder: "appstream:image-builder",
};

/** GetResources' largest page (its model documents ResourcesPerPage 1–100). */
export const TAG_INDEX_PAGE = 100;
