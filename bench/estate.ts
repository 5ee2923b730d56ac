/**
 * The generated estate of the scale benchmark: one manifest per size, and the counts the minimum and
 * the per-resource baseline are computed from. Names are deterministic so two runs read the same estate.
 */

/** How many of each kind a size declares. */
export interface EstateSize {
  name: "small" | "medium" | "large";
  fleets: number;
  stacks: number;
  imageBuilders: number;
  images: number;
  users: number;
  /** Stacks each user is a member of (memberships = users × this). */
  stacksPerUser: number;
  directoryConfigs: number;
}

/** The three sizes; large is the one the issue names (30,000 memberships = 10,000 users × 3 stacks). */
export const SIZES: Record<EstateSize["name"], EstateSize> = {
  small: { name: "small", fleets: 10, stacks: 10, imageBuilders: 2, images: 10, users: 100, stacksPerUser: 2, directoryConfigs: 1 },
  medium: { name: "medium", fleets: 50, stacks: 50, imageBuilders: 10, images: 75, users: 2000, stacksPerUser: 3, directoryConfigs: 1 },
  large: { name: "large", fleets: 200, stacks: 200, imageBuilders: 50, images: 300, users: 10000, stacksPerUser: 3, directoryConfigs: 1 },
};

/** The set name of every generated estate (tag appstreamctl:set=bench). */
export const SET = "bench";

/** The directory-config password the benchmark exports to `APPSTREAM_AD_PASSWORD`. */
export const BENCH_PASSWORD = "bench-only-Pa55word";

/** Resource names by index, zero-padded so listings come back in index order. */
export const fleetName = (i: number) => `fleet-${String(i).padStart(4, "0")}`;
export const stackName = (i: number) => `stack-${String(i).padStart(4, "0")}`;
export const builderName = (i: number) => `builder-${String(i).padStart(3, "0")}`;
export const imageName = (i: number) => `image-${String(i).padStart(4, "0")}`;
export const userName = (i: number) => `user${String(i).padStart(5, "0")}@example.com`;

/** The stacks user `i` belongs to: consecutive stacks, so every stack gets users × stacksPerUser / stacks members. */
export function stacksOfUser(s: EstateSize, i: number): string[] {
  return Array.from({ length: s.stacksPerUser }, (_, k) => stackName((i * s.stacksPerUser + k) % s.stacks));
}

/** Count quotas the emulator needs for this size (`emulator --quotas`), with headroom for apply20 and chaos. */
export function quotasFor(s: EstateSize): string {
  return [
    `fleets=${s.fleets + 50}`, `stacks=${s.stacks + 50}`, `imageBuilders=${s.imageBuilders + 10}`,
    `images=${s.images + 50}`, `users=${s.users + 100}`,
  ].join(",");
}

/** The manifest of a size, in flow style so the large one stays a few MB. */
export function estateManifest(s: EstateSize): string {
  const lines: string[] = [
    "apiVersion: appstreamctl/v1",
    `metadata: { name: ${SET}, region: us-east-1 }`,
    "defaults: { tags: { team: euc } }",
    "directoryConfigs:",
  ];
  for (let i = 0; i < s.directoryConfigs; i++) {
    lines.push(
      `  - directoryName: corp${i}.example.com`,
      `    organizationalUnitDistinguishedNames: ["OU=AppStream,DC=corp${i},DC=example,DC=com"]`,
      "    serviceAccountCredentials: { accountName: CORP\\\\svc-appstream, accountPassword: \"${env:APPSTREAM_AD_PASSWORD}\" }",
    );
  }
  lines.push("images:");
  for (let i = 0; i < s.images; i++) {
    lines.push(`  - { name: ${imageName(i)}, source: { importFromAmi: { sourceAmiId: ami-0a1b2c3d4e5f${String(60000 + i).padStart(5, "0")}, iamRoleArn: "arn:aws:iam::123456789012:role/AppStreamImageImport" } } }`);
  }
  lines.push("imageBuilders:");
  for (let i = 0; i < s.imageBuilders; i++) {
    lines.push(`  - { name: ${builderName(i)}, imageName: AppStream-WinServer2022-11-12-2025, instanceType: stream.standard.medium, state: stopped }`);
  }
  lines.push("fleets:");
  for (let i = 0; i < s.fleets; i++) {
    lines.push(`  - { name: ${fleetName(i)}, fleetType: ON_DEMAND, instanceType: stream.standard.medium, imageName: AppStream-WinServer2022-11-12-2025, computeCapacity: { desiredInstances: 1 }, state: stopped }`);
  }
  lines.push("stacks:");
  for (let i = 0; i < s.stacks; i++) {
    lines.push(`  - { name: ${stackName(i)}, fleet: ${fleetName(i % s.fleets)}, userSettings: { FILE_DOWNLOAD: DISABLED } }`);
  }
  lines.push("users:");
  for (let i = 0; i < s.users; i++) {
    lines.push(`  - { userName: ${userName(i)}, firstName: U${i}, lastName: Bench, stacks: [${stacksOfUser(s, i).join(", ")}] }`);
  }
  return lines.join("\n") + "\n";
}

/** The manifest of the apply benchmark: `n` new RUNNING fleets and nothing else. */
export function newFleetsManifest(n: number): string {
  const lines = ["apiVersion: appstreamctl/v1", "metadata: { name: bench-apply, region: us-east-1 }", "fleets:"];
  for (let i = 0; i < n; i++) {
    lines.push(`  - { name: new-${String(i).padStart(2, "0")}, fleetType: ON_DEMAND, instanceType: stream.standard.medium, imageName: AppStream-WinServer2022-11-12-2025, computeCapacity: { desiredInstances: 1 }, state: running }`);
  }
  return lines.join("\n") + "\n";
}
