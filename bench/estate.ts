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
  /**
   * The estate is this many copies of one base estate (every count above is the copies' total; names run
   * on across copies): how the core is measured at 2× and 4× a size (bench/scale.ts). Default 1.
   */
  copies?: number;
}

/** The three sizes; large is the one the issue names (30,000 memberships = 10,000 users × 3 stacks). */
export const SIZES: Record<EstateSize["name"], EstateSize> = {
  small: { name: "small", fleets: 10, stacks: 10, imageBuilders: 2, images: 10, users: 100, stacksPerUser: 2, directoryConfigs: 1 },
  medium: { name: "medium", fleets: 50, stacks: 50, imageBuilders: 10, images: 75, users: 2000, stacksPerUser: 3, directoryConfigs: 1 },
  large: { name: "large", fleets: 200, stacks: 200, imageBuilders: 50, images: 300, users: 10000, stacksPerUser: 3, directoryConfigs: 1 },
};

/** Users the users-added apply adds to each size (each a member of `stacksPerUser` stacks; bench/scenarios.ts). */
export const NEW_USERS: Record<EstateSize["name"], number> = { small: 100, medium: 500, large: 1000 };

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

/**
 * The stacks user `i` belongs to: consecutive stacks of the user's copy, so every stack gets
 * users × stacksPerUser / stacks members.
 */
export function stacksOfUser(s: EstateSize, i: number): string[] {
  const copies = s.copies ?? 1;
  const users = s.users / copies;
  const stacks = s.stacks / copies;
  const copy = Math.floor(i / users);
  return Array.from({ length: s.stacksPerUser }, (_, k) => stackName((((i % users) * s.stacksPerUser + k) % stacks) + copy * stacks));
}

/** The fleet of stack `i`: the stacks of a copy take its fleets in turn. */
export function fleetOfStack(s: EstateSize, i: number): string {
  const copies = s.copies ?? 1;
  const stacks = s.stacks / copies;
  const fleets = s.fleets / copies;
  return fleetName(((i % stacks) % fleets) + Math.floor(i / stacks) * fleets);
}

/** `copies` copies of `s` as one estate (one directory config, shared by all). */
export function scaled(s: EstateSize, copies: number): EstateSize {
  return {
    ...s, fleets: s.fleets * copies, stacks: s.stacks * copies, imageBuilders: s.imageBuilders * copies,
    images: s.images * copies, users: s.users * copies, copies,
  };
}

/** Count quotas the emulator needs for this size (`emulator --quotas`), with headroom for apply20 and chaos. */
export function quotasFor(s: EstateSize): string {
  return [
    `fleets=${s.fleets + 50}`, `stacks=${s.stacks + 50}`, `imageBuilders=${s.imageBuilders + 10}`,
    `images=${s.images + 50}`, `users=${s.users + NEW_USERS[s.name] + 100}`,
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
  // A copy repeats its base estate's values other than names (AMIs, first names): see `copies`.
  const base = (i: number, n: number) => i % (n / (s.copies ?? 1));
  lines.push("images:");
  for (let i = 0; i < s.images; i++) {
    lines.push(`  - { name: ${imageName(i)}, source: { importFromAmi: { sourceAmiId: ami-0a1b2c3d4e5f${String(60000 + base(i, s.images)).padStart(5, "0")}, iamRoleArn: "arn:aws:iam::123456789012:role/AppStreamImageImport" } } }`);
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
    lines.push(`  - { name: ${stackName(i)}, fleet: ${fleetOfStack(s, i)}, userSettings: { FILE_DOWNLOAD: DISABLED } }`);
  }
  lines.push("users:");
  for (let i = 0; i < s.users; i++) {
    lines.push(`  - { userName: ${userName(i)}, firstName: U${base(i, s.users)}, lastName: Bench, stacks: [${stacksOfUser(s, i).join(", ")}] }`);
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
