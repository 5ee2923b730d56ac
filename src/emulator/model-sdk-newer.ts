/**
 * What the pinned SDK (`@aws-sdk/client-appstream`) models beyond the botocore reference model, folded into
 * `model.gen.ts` by scripts/gen-emulator-model.ts, so that the emulator accepts requests the SDK can send.
 * Only what the SDK states: its members and required lists (dist-types/models, dist-es/schemas) and the
 * errors its commands declare; the SDK states no length or pattern for these members.
 */

/** One structure's additions: members (name → shape) and, when the SDK relaxes it, its required list. */
export interface StructurePatch {
  members?: Readonly<Record<string, string>>;
  required?: readonly string[];
}

export interface ModelPatch {
  /** New shapes, botocore-style. */
  shapes?: Readonly<Record<string, { type: string; min?: number; max?: number; pattern?: string; enum?: readonly string[] }>>;
  structures?: Readonly<Record<string, StructurePatch>>;
  /** Errors an operation declares in the SDK beyond the reference model. */
  errors?: Readonly<Record<string, readonly string[]>>;
  /** Values the SDK adds to an enum shape of the model. */
  enums?: Readonly<Record<string, readonly string[]>>;
}

export const APPSTREAM_SDK_NEWER: ModelPatch = {
  // CreateImportedImage from a WorkSpaces image: WorkspaceImageId beside SourceAmiId, both optional, as is
  // IamRoleArn (only Name is required); a wrong combination is InvalidParameterCombinationException.
  // Agent access: the UserControlMode member and the FORWARD_MCP_TOOLS agent action (models/enums.d.ts).
  shapes: { WorkspaceImageId: { type: "string" }, UserControlMode: { type: "string", enum: ["DISABLED", "VIEW_ONLY", "VIEW_STOP"] } },
  structures: {
    CreateImportedImageRequest: { members: { WorkspaceImageId: "WorkspaceImageId" }, required: ["Name"] },
    AgentAccessConfig: { members: { UserControlMode: "UserControlMode" } },
  },
  errors: { CreateImportedImage: ["InvalidParameterCombinationException"] },
  enums: { AgentAction: ["FORWARD_MCP_TOOLS"] },
};
