/**
 * ImageBuilder (reference §6). There is no UpdateImageBuilder: every attribute is immutable except the
 * run state (Start/Stop) and the agent version, which StartImageBuilder accepts — so a new agent version
 * means stop → start, and anything else means replace, which loses the work inside the builder.
 */
import type { FieldTable, ListedKind, RuleViolation } from "./contract.js";
import {
  accessEndpoints, arn, bool, domainJoinInfo, ignoreChanges, imageSelector, int, list, name, obj, oneOfEnum, protect, str, tags, vpcConfig,
} from "./schema-dsl.js";

export interface ImageBuilderSpec {
  name: string;
  instanceType: string;
  imageName?: string;
  imageArn?: string;
  imageSelector?: { nameRegex: string; newest?: boolean; type?: "PUBLIC" | "PRIVATE" | "SHARED" };
  description?: string;
  displayName?: string;
  vpcConfig?: { subnetIds?: string[]; securityGroupIds?: string[] };
  iamRoleArn?: string;
  enableDefaultInternetAccess?: boolean;
  domainJoinInfo?: { directoryName?: string; organizationalUnitDistinguishedName?: string };
  appstreamAgentVersion?: string;
  accessEndpoints?: { endpointType: "STREAMING"; vpceId?: string }[];
  rootVolumeConfig?: { volumeSizeInGb?: number };
  softwaresToInstall?: string[];
  softwaresToUninstall?: string[];
  disableIMDSV1?: boolean;
  state?: "running" | "stopped";
  tags?: Record<string, string>;
  protect?: boolean;
  ignoreChanges?: string[];
}

/** Image builders take the fleet instance types except the two largest standard sizes (§3.6). */
const NOT_FOR_BUILDERS = ["stream.standard.xlarge", "stream.standard.2xlarge"];

const fields: FieldTable<ImageBuilderSpec> = {
  name: { role: "identity", mode: "replace", schema: name("Image builder name (immutable)") },
  instanceType: { role: "api", mode: "replace", schema: str({ min: 1, description: "e.g. stream.standard.medium" }) },
  imageName: { role: "api", mode: "replace", schema: str({ min: 1, description: "Base image (one of imageName, imageArn, imageSelector)" }) },
  imageArn: { role: "api", mode: "replace", schema: arn("Base image ARN") },
  imageSelector: { role: "selector", mode: "replace", schema: imageSelector() },
  description: { role: "api", mode: "replace", schema: str({ max: 256 }) },
  displayName: { role: "api", mode: "replace", schema: str({ max: 100 }) },
  vpcConfig: { role: "api", mode: "replace", schema: vpcConfig() },
  iamRoleArn: { role: "api", mode: "replace", schema: arn("Role the builder instance assumes") },
  enableDefaultInternetAccess: { role: "api", mode: "replace", awsDefault: false, schema: bool() },
  domainJoinInfo: { role: "api", mode: "replace", schema: domainJoinInfo() },
  appstreamAgentVersion: {
    role: "api", mode: "requires-stop",
    schema: str({ min: 1, max: 100, description: "Agent version, or [LATEST]; applied by stop → start" }),
  },
  accessEndpoints: { role: "api", mode: "replace", schema: accessEndpoints() },
  rootVolumeConfig: { role: "api", mode: "replace", schema: obj({ volumeSizeInGb: int(200, 500) }) },
  softwaresToInstall: { role: "api", mode: "replace", schema: list(str({ min: 1 }), { unique: true, description: "License-included applications to install" }) },
  softwaresToUninstall: { role: "api", mode: "replace", schema: list(str({ min: 1 }), { unique: true }) },
  disableIMDSV1: { role: "api", mode: "replace", schema: bool() },
  state: {
    role: "state", mode: "live", awsDefault: "running",
    schema: oneOfEnum(["running", "stopped"], "Desired run state (default running)"),
  },
  tags: { role: "tags", mode: "live", schema: tags() },
  protect: { role: "meta", mode: "live", schema: protect() },
  ignoreChanges: { role: "meta", mode: "live", schema: ignoreChanges() },
};

function rules(s: ImageBuilderSpec): RuleViolation[] {
  const out: RuleViolation[] = [];
  const images = (["imageName", "imageArn", "imageSelector"] as const).filter((f) => s[f] !== undefined);
  if (images.length !== 1) {
    out.push({
      code: "rule.image-source", path: images.length > 1 ? [images[1]!] : [],
      message: images.length ? `give only one of ${images.join(", ")}` : "give one of imageName, imageArn or imageSelector",
    });
  }
  const subnets = s.vpcConfig?.subnetIds?.length ?? 0;
  if (subnets > 1) {
    out.push({ code: "rule.image-builder", path: ["vpcConfig", "subnetIds", 1], message: "an image builder takes exactly one subnet" });
  }
  if (NOT_FOR_BUILDERS.includes(s.instanceType)) {
    out.push({ code: "rule.instance-type", path: ["instanceType"], message: `${s.instanceType} is not offered for image builders` });
  }
  return out;
}

export const imageBuilderKind: ListedKind<ImageBuilderSpec> = {
  kind: "ImageBuilder",
  key: "imageBuilders",
  identity: "name",
  required: ["name", "instanceType"],
  taggable: true,
  description: "An image builder: the instance used to install applications and create images",
  fields,
  refs: [
    {
      path: ["domainJoinInfo", "directoryName"], target: "directoryConfigs", code: "ref.unknown-directory",
      names: (s) => (s.domainJoinInfo?.directoryName ? [s.domainJoinInfo.directoryName] : []),
    },
  ],
  rules,
};
