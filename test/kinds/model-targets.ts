/**
 * The manifest side of test/kinds/model-constraints.test.ts: a sample manifest that holds every field the
 * model's Create/Update inputs reach, and the operations mapped onto its entries (members map to the
 * lowerCamelCase field unless `map` says otherwise or why not).
 */
export type Path = (string | number)[];
/** An API member the manifest does not express, and why. */
export interface Skip {
  skip: string;
}
export const skip = (reason: string): Skip => ({ skip: reason });
export type Mapping = Path | Skip;

const PASSWORD = "P4ssw0rd!";
const BASE_IMAGE_ARN = "arn:aws:appstream:us-east-1::image/AppStream-WinServer2022-01-01-2026";
export const ENV = { AD_PASSWORD: PASSWORD };

/** A manifest holding every field the cases below reach, valid as it stands (asserted first). */
export const SAMPLE = {
  apiVersion: "appstreamctl/v1",
  metadata: { name: "t" },
  directoryConfigs: [{
    directoryName: "corp.example.com",
    organizationalUnitDistinguishedNames: ["OU=desktops,DC=corp,DC=example,DC=com"],
    serviceAccountCredentials: { accountName: "CORP\\joiner", accountPassword: "${env:AD_PASSWORD}" },
    certificateBasedAuthProperties: { status: "ENABLED", certificateAuthorityArn: "arn:aws:acm-pca:us-east-1:123456789012:certificate-authority/ca" },
  }],
  images: [
    {
      name: "imported",
      description: "Imported image",
      displayName: "Imported",
      source: {
        importFromAmi: {
          sourceAmiId: "ami-12345678",
          iamRoleArn: "arn:aws:iam::123456789012:role/import",
          runtimeValidationConfig: { intendedInstanceType: "stream.standard.small" },
          agentSoftwareVersion: "CURRENT_LATEST",
          appCatalogConfig: [{
            name: "notepad", displayName: "Notepad", absoluteAppPath: "C:\\notepad.exe", absoluteIconPath: "C:\\notepad.ico",
            absoluteManifestPath: "C:\\notepad.txt", workingDirectory: "C:\\", launchParameters: "-n",
          }],
        },
      },
      sharedWith: [{ accountId: "210987654321", allowFleet: true, allowImageBuilder: false }],
      exportTo: {
        amiName: "imported-ami", iamRoleArn: "arn:aws:iam::123456789012:role/export", amiDescription: "Exported image",
        tagSpecifications: { team: "apps" },
      },
      tags: { team: "apps" },
    },
    { name: "copied", description: "Copied image", source: { copyOf: { region: "us-west-2", name: "golden" } } },
    { name: "updated", description: "Updated image", displayName: "Updated", source: { updateOf: "imported" }, tags: { team: "apps" } },
    {
      name: "from-workspaces",
      description: "WorkSpaces image",
      displayName: "From WorkSpaces",
      source: {
        importFromWorkSpaces: {
          workspaceImageId: "wsi-0123456789",
          iamRoleArn: "arn:aws:iam::123456789012:role/import",
          runtimeValidationConfig: { intendedInstanceType: "stream.standard.small" },
          agentSoftwareVersion: "ALWAYS_LATEST",
          appCatalogConfig: [{
            name: "notepad", displayName: "Notepad", absoluteAppPath: "C:\\notepad.exe", absoluteIconPath: "C:\\notepad.ico",
            absoluteManifestPath: "C:\\notepad.txt", workingDirectory: "C:\\", launchParameters: "-n",
          }],
        },
      },
      tags: { team: "apps" },
    },
  ],
  imageBuilders: [{
    name: "builder", instanceType: "stream.standard.medium", imageName: "imported", description: "d", displayName: "Builder",
    vpcConfig: { subnetIds: ["subnet-0a1b2c3d"], securityGroupIds: ["sg-0a1b2c3d"] }, iamRoleArn: "arn:aws:iam::123456789012:role/b",
    enableDefaultInternetAccess: false, domainJoinInfo: { directoryName: "corp.example.com", organizationalUnitDistinguishedName: "OU=desktops,DC=corp,DC=example,DC=com" },
    appstreamAgentVersion: "1.0.0", accessEndpoints: [{ endpointType: "STREAMING", vpceId: "vpce-1" }], rootVolumeConfig: { volumeSizeInGb: 300 },
    softwaresToInstall: ["Office"], softwaresToUninstall: ["Paint"], disableIMDSV1: true, tags: { team: "apps" },
  }, { name: "builder-arn", instanceType: "stream.standard.medium", imageArn: BASE_IMAGE_ARN }],
  appBlocks: [
    {
      name: "custom-block", displayName: "Custom", description: "d", packagingType: "CUSTOM",
      sourceS3Location: { s3Bucket: "packages", s3Key: "apps/app.vhdx" },
      setupScriptDetails: {
        scriptS3Location: { s3Bucket: "scripts", s3Key: "setup.ps1" }, executablePath: "C:\\setup.exe", executableParameters: "-q", timeoutInSeconds: 600,
      },
      tags: { team: "apps" },
    },
    {
      name: "packaged-block", packagingType: "APPSTREAM2", sourceS3Location: { s3Bucket: "packages" },
      postSetupScriptDetails: {
        scriptS3Location: { s3Bucket: "scripts", s3Key: "post.ps1" }, executablePath: "C:\\post.exe", executableParameters: "-q", timeoutInSeconds: 600,
      },
    },
  ],
  fleets: [
    {
      name: "fleet", fleetType: "ON_DEMAND", instanceType: "stream.standard.medium", imageName: "imported",
      computeCapacity: { desiredInstances: 2 }, vpcConfig: { subnetIds: ["subnet-0a1b2c3d"], securityGroupIds: ["sg-0a1b2c3d"] },
      maxUserDurationInSeconds: 3600, disconnectTimeoutInSeconds: 300, idleDisconnectTimeoutInSeconds: 600, description: "d",
      displayName: "Fleet", enableDefaultInternetAccess: false,
      domainJoinInfo: { directoryName: "corp.example.com", organizationalUnitDistinguishedName: "OU=desktops,DC=corp,DC=example,DC=com" },
      iamRoleArn: "arn:aws:iam::123456789012:role/f", streamView: "DESKTOP", usbDeviceFilterStrings: ["Wacom Tablet,056a,*,*,*,*,0,0"],
      rootVolumeConfig: { volumeSizeInGb: 300 }, disableIMDSV1: true, tags: { team: "apps" },
    },
    {
      name: "elastic", fleetType: "ELASTIC", instanceType: "stream.standard.small", platform: "AMAZON_LINUX2", maxConcurrentSessions: 5,
      vpcConfig: { subnetIds: ["subnet-0a1b2c3d", "subnet-0a1b2c3e"] }, sessionScriptS3Location: { s3Bucket: "scripts", s3Key: "session.json" },
    },
    {
      name: "multi", instanceType: "stream.standard.medium", imageName: "imported", maxSessionsPerInstance: 4,
      computeCapacity: { desiredSessions: 8 },
    },
    { name: "byarn", instanceType: "stream.standard.small", imageArn: BASE_IMAGE_ARN, computeCapacity: { desiredInstances: 1 } },
  ],
  stacks: [{
    name: "stack", displayName: "Stack", description: "d", fleet: "multi",
    storageConnectors: [{ connectorType: "ONE_DRIVE", resourceIdentifier: "r", domains: ["example.com"], domainsRequireAdminConsent: ["example.com"] }],
    redirectURL: "https://example.com/bye", feedbackURL: "https://example.com/feedback",
    userSettings: { CLIPBOARD_COPY_TO_LOCAL_DEVICE: { permission: "ENABLED", maximumLength: 1000 }, FILE_UPLOAD: "DISABLED" },
    applicationSettings: { enabled: true, settingsGroup: "grp" },
    accessEndpoints: [{ endpointType: "STREAMING", vpceId: "vpce-1" }],
    embedHostDomains: ["example.com"],
    streamingExperienceSettings: { preferredProtocol: "UDP" },
    contentRedirection: { hostToClient: { enabled: true, allowedUrls: ["https://example.com"], deniedUrls: ["*"] } },
    agentAccessConfig: {
      settings: [{ agentAction: "COMPUTER_VISION", permission: "ENABLED" }], s3BucketArn: "arn:aws:s3:::shots",
      screenshotsUploadEnabled: true, screenResolution: "W_1280xH_720", screenImageFormat: "PNG", userControlMode: "VIEW_ONLY",
    },
    theme: {
      titleText: "Corp Apps", styling: "BLUE", footerLinks: [{ displayName: "Help", footerLinkURL: "https://help.example.com" }],
      organizationLogoS3Location: { s3Bucket: "brand-assets", s3Key: "logo.png" }, faviconS3Location: { s3Bucket: "brand-assets", s3Key: "favicon.ico" },
      state: "ENABLED",
    },
    tags: { team: "apps" },
    entitlements: [{
      name: "staff", description: "d", appVisibility: "ASSOCIATED", attributes: [{ name: "groups", value: "staff" }], applications: ["notepad"],
    }],
  }],
  appBlockBuilders: [{
    name: "abb", displayName: "Packager", description: "d", platform: "WINDOWS_SERVER_2019", instanceType: "stream.standard.medium",
    vpcConfig: { subnetIds: ["subnet-0a1b2c3d", "subnet-0a1b2c3e"], securityGroupIds: ["sg-0a1b2c3d"] },
    iamRoleArn: "arn:aws:iam::123456789012:role/abb", enableDefaultInternetAccess: false, disableIMDSV1: true,
    accessEndpoints: [{ endpointType: "STREAMING", vpceId: "vpce-1" }], tags: { team: "apps" },
  }],
  applications: [{
    name: "editor", displayName: "Editor", description: "d", iconS3Location: { s3Bucket: "icons", s3Key: "editor.png" },
    launchPath: "/usr/bin/editor", launchParameters: "--new", workingDirectory: "/tmp", instanceFamilies: ["GENERAL_PURPOSE"],
    platforms: ["AMAZON_LINUX2"], appBlock: "editor-block", fleets: ["elastic"], tags: { team: "apps" },
  }],
  users: [{ userName: "alice@example.com", authenticationType: "USERPOOL", firstName: "Alice", lastName: "Smith", enabled: true, messageAction: "SUPPRESS", stacks: ["stack"] }],
};

export interface Target {
  op: string;
  /** The manifest entry the operation's members map into. */
  entry: Path;
  /** Where members live when not at `entry` + lowerCamelCase(member path); keys are dotted API paths (`*` = list item). */
  map?: Record<string, Mapping>;
  /** Entries tried in order for members absent from `entry` in the sample (fleet kinds differ in what they allow). */
  alternatives?: Path[];
  /** Required API members whose absence from the manifest only means the call is not made. */
  optional?: string[];
  /** Members the manifest narrows on purpose, and why: only the refusals are checked for them. */
  narrowed?: Record<string, string>;
}

const CREATE_NAME = "the field is also the Create* name, which has the model's Name pattern; the lookup String is looser";
const DIRECTORY = "a directory is named by its fully qualified domain name; the model's DirectoryName is a bare String";
const EC2_ID = "an EC2 id: subnet- or sg- and 8 or 17 hex digits; the model's member is a bare String";
const TOOL_AUTH = skip("appstreamctl sends AuthenticationType USERPOOL itself");
/** CreateImportedImage of one source form (`source.importFromAmi`, `source.importFromWorkSpaces`) of image `entry`. */
function importTarget(entry: number, form: string, other: Record<string, Mapping>, narrowed?: Record<string, string>): Target {
  const from = (member: string): Path => ["source", form, member];
  return {
    op: "CreateImportedImage",
    entry: ["images", entry],
    map: {
      Name: ["name"],
      Description: ["description"],
      DisplayName: ["displayName"],
      Tags: ["tags"],
      DryRun: skip("plan-time check, not a manifest field"),
      ...other,
      ...(form === "importFromAmi" ? { SourceAmiId: from("sourceAmiId") } : { WorkspaceImageId: from("workspaceImageId") }),
      IamRoleArn: from("iamRoleArn"),
      RuntimeValidationConfig: from("runtimeValidationConfig"),
      AgentSoftwareVersion: from("agentSoftwareVersion"),
      AppCatalogConfig: from("appCatalogConfig"),
    },
    ...(narrowed ? { narrowed } : {}),
  };
}

export const TARGETS: Target[] = [
  ...["CreateFleet", "UpdateFleet"].map((op): Target => ({
    op,
    entry: ["fleets", 0],
    alternatives: [["fleets", 1], ["fleets", 2], ["fleets", 3]],
    map: {
      AttributesToDelete: skip("sent by the planner when a field is removed"),
      DeleteVpcConfig: skip("deprecated; the planner uses AttributesToDelete"),
      Platform: ["platform"],
    },
    narrowed: {
      ...(op === "UpdateFleet" ? { ImageName: CREATE_NAME } : {}),
      "DomainJoinInfo.DirectoryName": DIRECTORY,
      "VpcConfig.SubnetIds.*": EC2_ID,
      "VpcConfig.SecurityGroupIds.*": EC2_ID,
    },
  })),
  ...["CreateStack", "UpdateStack"].map((op): Target => ({
    op,
    entry: ["stacks", 0],
    map: {
      AttributesToDelete: skip("sent by the planner when a field is removed"),
      DeleteStorageConnectors: skip("deprecated; the planner uses AttributesToDelete"),
      RedirectURL: ["redirectURL"],
      FeedbackURL: ["feedbackURL"],
      // The manifest writes user settings as a map action → permission or {permission, maximumLength}.
      UserSettings: ["userSettings"],
      "UserSettings.*": skip("one entry per action: the map's keys and values, mapped member by member below"),
      "UserSettings.*.Action": ["userSettings", "#key"],
      "UserSettings.*.Permission": ["userSettings", "CLIPBOARD_COPY_TO_LOCAL_DEVICE", "permission"],
      "UserSettings.*.MaximumLength": ["userSettings", "CLIPBOARD_COPY_TO_LOCAL_DEVICE", "maximumLength"],
    },
    narrowed: op === "UpdateStack" ? { Name: CREATE_NAME } : {},
  })),
  {
    op: "AssociateFleet",
    entry: ["stacks", 0],
    map: { FleetName: ["fleet"], StackName: ["name"] },
    optional: ["FleetName"],
    narrowed: { FleetName: CREATE_NAME, StackName: CREATE_NAME },
  },
  ...["CreateEntitlement", "UpdateEntitlement"].map((op): Target => ({
    op,
    entry: ["stacks", 0],
    map: {
      Name: ["entitlements", 0, "name"],
      StackName: ["name"],
      Description: ["entitlements", 0, "description"],
      AppVisibility: ["entitlements", 0, "appVisibility"],
      Attributes: ["entitlements", 0, "attributes"],
    },
  })),
  {
    op: "AssociateApplicationToEntitlement",
    entry: ["stacks", 0],
    map: { StackName: ["name"], EntitlementName: ["entitlements", 0, "name"], ApplicationIdentifier: ["entitlements", 0, "applications", 0] },
  },
  ...["CreateThemeForStack", "UpdateThemeForStack"].map((op): Target => ({
    op,
    entry: ["stacks", 0],
    map: {
      StackName: ["name"],
      TitleText: ["theme", "titleText"],
      ThemeStyling: skip("known values warn rather than refuse (rule.theme): the service may add colours"),
      FooterLinks: ["theme", "footerLinks"],
      OrganizationLogoS3Location: ["theme", "organizationLogoS3Location"],
      FaviconS3Location: ["theme", "faviconS3Location"],
      State: ["theme", "state"],
      AttributesToDelete: skip("sent by the planner when footerLinks is removed"),
    },
    // Left out, an existing theme keeps its logo and favicon; a new one without them is refused at plan time.
    optional: ["OrganizationLogoS3Location", "FaviconS3Location"],
    narrowed: { StackName: CREATE_NAME },
  })),
  ...["CreateApplication", "UpdateApplication"].map((op): Target => ({
    op,
    entry: ["applications", 0],
    map: {
      AppBlockArn: skip("the manifest names the app block (appBlock); the op looks its ARN up"),
      AttributesToDelete: skip("sent by the planner when a field is removed"),
    },
    ...(op === "UpdateApplication" ? { narrowed: { Name: CREATE_NAME } } : {}),
  })),
  {
    op: "AssociateApplicationFleet",
    entry: ["applications", 0],
    map: { FleetName: ["fleets", 0], ApplicationArn: skip("the manifest names the application (its entry); the op looks its ARN up") },
  },
  {
    op: "CreateImageBuilder",
    entry: ["imageBuilders", 0],
    alternatives: [["imageBuilders", 1]],
    narrowed: { "DomainJoinInfo.DirectoryName": DIRECTORY, "VpcConfig.SubnetIds.*": EC2_ID, "VpcConfig.SecurityGroupIds.*": EC2_ID },
  },
  ...["CreateAppBlockBuilder", "UpdateAppBlockBuilder"].map((op): Target => ({
    op,
    entry: ["appBlockBuilders", 0],
    map: { AttributesToDelete: skip("sent by the planner when a field is removed") },
    narrowed: {
      ...(op === "UpdateAppBlockBuilder" ? { Name: CREATE_NAME } : {}),
      "VpcConfig.SubnetIds.*": EC2_ID,
      "VpcConfig.SecurityGroupIds.*": EC2_ID,
    },
  })),
  {
    op: "AssociateAppBlockBuilderAppBlock",
    entry: ["appBlockBuilders", 0],
    map: { AppBlockBuilderName: ["name"], AppBlockArn: skip("the manifest names the app block (appBlock); its ARN is made from the builder's") },
  },
  {
    op: "CreateAppBlock",
    entry: ["appBlocks", 0],
    alternatives: [["appBlocks", 1]],
  },
  {
    op: "CreateUser",
    entry: ["users", 0],
    map: { AuthenticationType: ["authenticationType"] },
    optional: ["AuthenticationType"],
    narrowed: {
      AuthenticationType: "only user-pool users can be managed; the manifest fills in USERPOOL",
      MessageAction: "RESEND re-sends a welcome e-mail, an action rather than a user's setting",
    },
  },
  {
    op: "BatchAssociateUserStack",
    entry: ["users", 0],
    map: {
      UserStackAssociations: skip("one association per entry of users[].stacks; its members are mapped below"),
      "UserStackAssociations.*": skip("one association per entry of users[].stacks"),
      "UserStackAssociations.*.StackName": ["stacks", 0],
      "UserStackAssociations.*.UserName": ["userName"],
      "UserStackAssociations.*.AuthenticationType": TOOL_AUTH,
      "UserStackAssociations.*.SendEmailNotification": skip("appstreamctl never asks AppStream to e-mail users"),
    },
  },
  ...["CreateDirectoryConfig", "UpdateDirectoryConfig"].map((op) => ({
    op,
    entry: ["directoryConfigs", 0],
    narrowed: { DirectoryName: DIRECTORY, "OrganizationalUnitDistinguishedNames.*": "an empty OU names no organizational unit" },
  })),
  importTarget(0, "importFromAmi", { WorkspaceImageId: skip("a WorkSpaces image is imported by source.importFromWorkSpaces (the next target)") }),
  {
    op: "CreateExportImageTask",
    entry: ["images", 0],
    map: {
      ImageName: ["name"],
      AmiName: ["exportTo", "amiName"],
      IamRoleArn: ["exportTo", "iamRoleArn"],
      TagSpecifications: ["exportTo", "tagSpecifications"],
      AmiDescription: ["exportTo", "amiDescription"],
    },
  },
  importTarget(3, "importFromWorkSpaces", { SourceAmiId: skip("an AMI is imported by source.importFromAmi (the previous target)") }, {
    WorkspaceImageId: "a WorkSpaces image id (wsi-…, the WorkSpaces API's pattern); the SDK's member is a bare string",
  }),
  {
    op: "CopyImage",
    entry: ["images", 1],
    map: {
      SourceImageName: ["source", "copyOf", "name"],
      DestinationImageName: ["name"],
      DestinationRegion: skip("the manifest's region; the copy is requested from source.copyOf.region"),
      DestinationImageDescription: ["description"],
    },
  },
  {
    op: "CreateUpdatedImage",
    entry: ["images", 2],
    map: {
      existingImageName: ["source", "updateOf"],
      newImageName: ["name"],
      newImageDescription: ["description"],
      newImageDisplayName: ["displayName"],
      newImageTags: ["tags"],
      dryRun: skip("plan-time check, not a manifest field"),
    },
  },
  {
    op: "UpdateImagePermissions",
    entry: ["images", 0],
    map: {
      Name: ["name"],
      SharedAccountId: ["sharedWith", 0, "accountId"],
      ImagePermissions: ["sharedWith", 0],
    },
  },
];

