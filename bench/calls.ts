/**
 * The two call counts plan is compared with (docs/BENCHMARKS.md "Definitions"):
 *
 * - the MINIMUM any reader must call for a no-op plan of the estate, from the API's rules, not from this
 *   tool's strategy: each listing at the largest page size the model allows (DescribeImages MaxResults ≤ 25);
 *   where `MaxResults` has no modelled maximum (DescribeUsers, DescribeImageBuilders,
 *   DescribeDirectoryConfigs), the largest page a reader can count on being honoured, UNBOUNDED_PAGE (100:
 *   an assumption, the service's cap is undocumented — a service capping lower costs every reader more);
 *   the server's page size where the operation has no page-size member; tags of
 *   fleets, stacks and image builders from the tagging index (GetResources, ResourcesPerPage ≤ 100) and of
 *   images, which the index does not cover, one ListTagsForResource each (Describe never returns tags);
 *   one ListAssociatedFleets and ⌈members/500⌉ DescribeUserStackAssociations per declared stack; image
 *   permissions only for images DescribeImages reports as shared (ImageSharedWithOthers). Every listing
 *   costs at least one page.
 * - the PER-RESOURCE REFRESH baseline (the Terraform AWS provider's way): one Describe by name per declared
 *   resource (users too, although Terraform pages DescribeUsers for each user — counted generously as one),
 *   one ListTagsForResource per taggable resource, one association read per membership (stack↔user and
 *   stack↔fleet), at parallelism 10.
 */
import {
  AppStreamClient, DescribeDirectoryConfigsCommand, DescribeFleetsCommand, DescribeImageBuildersCommand, DescribeImagesCommand,
  DescribeStacksCommand, DescribeUsersCommand, DescribeUserStackAssociationsCommand, ListAssociatedFleetsCommand, ListTagsForResourceCommand,
} from "@aws-sdk/client-appstream";
import { UNBOUNDED_PAGE } from "../src/kinds/page-sizes.js";
import { builderName, fleetName, imageName, stackName, stacksOfUser, userName, type EstateSize } from "./estate.js";

/** Largest page of DescribeImages in the API model (DescribeImagesMaxResults max 25). */
export const IMAGES_MAX_PAGE = 25;
/** Largest page of DescribeUserStackAssociations and DescribeImagePermissions (model `MaxResults` max 500). */
export const ASSOC_MAX_PAGE = 500;
/** Largest page of the tagging API's GetResources (model `ResourcesPerPage` max 100). */
export const TAGGING_MAX_PAGE = 100;

const pages = (n: number, size: number) => Math.max(1, Math.ceil(n / size));

/** The minimum per operation for a no-op plan of `s` (no --prune) against a server page size `serverPage`. */
export function minimumCalls(s: EstateSize, serverPage: number): Record<string, number> {
  const perStack = Array.from({ length: s.stacks }, () => 0);
  for (let i = 0; i < s.users; i++) for (const st of stacksOfUser(s, i)) perStack[Number(st.slice(6))]! += 1;
  return {
    DescribeDirectoryConfigs: pages(s.directoryConfigs, UNBOUNDED_PAGE),
    DescribeFleets: pages(s.fleets, serverPage),
    DescribeImageBuilders: pages(s.imageBuilders, UNBOUNDED_PAGE),
    DescribeImagePermissions: 0, // the estate shares no image: ImageSharedWithOthers is FALSE for all
    DescribeImages: pages(s.images, IMAGES_MAX_PAGE),
    DescribeStacks: pages(s.stacks, serverPage),
    DescribeUserStackAssociations: perStack.reduce((n, m) => n + pages(m, ASSOC_MAX_PAGE), 0),
    DescribeUsers: pages(s.users, UNBOUNDED_PAGE),
    "tagging:GetResources": pages(s.fleets + s.stacks + s.imageBuilders, TAGGING_MAX_PAGE),
    ListAssociatedFleets: s.stacks, // one fleet per stack: one page
    ListTagsForResource: s.images, // images are not in the tagging index
  };
}

/** One call of the baseline. */
export type BaselineCall = { op: string; send: (c: AppStreamClient) => Promise<unknown> };

const ARN = (type: string, name: string) => `arn:aws:appstream:us-east-1:123456789012:${type}/${name}`;

/** The per-resource refresh of `s`, in the order a provider would walk the resources. */
export function baselineCalls(s: EstateSize): BaselineCall[] {
  const out: BaselineCall[] = [];
  const tags = (type: string, name: string) => out.push({ op: "ListTagsForResource", send: (c) => c.send(new ListTagsForResourceCommand({ ResourceArn: ARN(type, name) })) });
  for (let i = 0; i < s.directoryConfigs; i++) {
    out.push({ op: "DescribeDirectoryConfigs", send: (c) => c.send(new DescribeDirectoryConfigsCommand({ DirectoryNames: [`corp${i}.example.com`] })) });
  }
  for (let i = 0; i < s.images; i++) {
    out.push({ op: "DescribeImages", send: (c) => c.send(new DescribeImagesCommand({ Names: [imageName(i)] })) });
    tags("image", imageName(i));
  }
  for (let i = 0; i < s.imageBuilders; i++) {
    out.push({ op: "DescribeImageBuilders", send: (c) => c.send(new DescribeImageBuildersCommand({ Names: [builderName(i)] })) });
    tags("image-builder", builderName(i));
  }
  for (let i = 0; i < s.fleets; i++) {
    out.push({ op: "DescribeFleets", send: (c) => c.send(new DescribeFleetsCommand({ Names: [fleetName(i)] })) });
    tags("fleet", fleetName(i));
  }
  for (let i = 0; i < s.stacks; i++) {
    out.push({ op: "DescribeStacks", send: (c) => c.send(new DescribeStacksCommand({ Names: [stackName(i)] })) });
    tags("stack", stackName(i));
    out.push({ op: "ListAssociatedFleets", send: (c) => c.send(new ListAssociatedFleetsCommand({ StackName: stackName(i) })) });
  }
  for (let i = 0; i < s.users; i++) {
    // No name filter exists (§8.1): one DescribeUsers page stands in for the provider's per-user scan.
    out.push({ op: "DescribeUsers", send: (c) => c.send(new DescribeUsersCommand({ AuthenticationType: "USERPOOL", MaxResults: 1 })) });
    for (const st of stacksOfUser(s, i)) {
      out.push({
        op: "DescribeUserStackAssociations",
        send: (c) => c.send(new DescribeUserStackAssociationsCommand({ StackName: st, UserName: userName(i), AuthenticationType: "USERPOOL" })),
      });
    }
  }
  return out;
}

/** Counts per operation of a call list. */
export function countOps(calls: readonly { op: string }[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const c of calls) out[c.op] = (out[c.op] ?? 0) + 1;
  return Object.fromEntries(Object.entries(out).sort(([a], [b]) => a.localeCompare(b)));
}

/** Attempts per baseline call: the Terraform AWS provider's default `max_retries` is 25. */
const BASELINE_ATTEMPTS = 25;

/** Retries throttling with capped exponential backoff and full jitter, as the provider's SDK does. */
async function withRetry(send: () => Promise<unknown>): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await send();
      return;
    } catch (err) {
      // The SDK's own retry quota runs dry under sustained throttling, so the loop here owns retries.
      if ((err as Error).name !== "ThrottlingException" || attempt >= BASELINE_ATTEMPTS) throw err;
      await new Promise((r) => setTimeout(r, Math.random() * Math.min(20_000, 100 * 2 ** attempt)));
    }
  }
}

/**
 * Runs `calls` at `parallelism`, each retried on throttling up to 25 attempts, and returns the wall time
 * in ms. Fails on the first call that still fails.
 */
export async function runBaseline(url: string, calls: readonly BaselineCall[], parallelism: number): Promise<number> {
  const client = new AppStreamClient({
    region: "us-east-1", endpoint: url, maxAttempts: 1,
    credentials: { accessKeyId: "AKIDBENCH", secretAccessKey: "bench" },
  });
  const start = performance.now();
  let next = 0;
  const worker = async () => {
    while (next < calls.length) {
      const c = calls[next++]!;
      await withRetry(() => c.send(client));
    }
  };
  await Promise.all(Array.from({ length: parallelism }, worker));
  const ms = performance.now() - start;
  client.destroy();
  return ms;
}
