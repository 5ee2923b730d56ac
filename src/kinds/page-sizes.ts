/**
 * The page size each listing asks for. Calls are what users feel (AppStream's request rates are low and
 * unpublished), so every listing asks for the largest page the API allows:
 * - where the model bounds `MaxResults`, its maximum;
 * - where it does not (a bare `Integer`: DescribeUsers, DescribeImageBuilders, DescribeDirectoryConfigs),
 *   {@link UNBOUNDED_PAGE}, a choice: the service's cap is undocumented. A service that caps lower still
 *   answers with a `NextToken`, so a larger ask costs nothing but never loses items (docs/NETWORK.md).
 * DescribeFleets, DescribeStacks and ListAssociatedFleets have no page-size member at all.
 */

/** `DescribeImagesMaxResults`: max 25 in the model. */
export const IMAGES_PAGE = 25;
/** `MaxResults` of DescribeUserStackAssociations and DescribeImagePermissions: max 500 in the model. */
export const MEMBERSHIPS_PAGE = 500;
/** `DescribeSessions.Limit`: "the maximum value is 50" (model doc). */
export const SESSIONS_PAGE = 50;
/**
 * Asked of the listings whose `MaxResults` the model leaves unbounded: the same service's bounded listings
 * allow 25 to 500, and 100 is what the tagging index allows per page; larger asks are untested against
 * the service (a guess, docs/NETWORK.md "Page sizes").
 */
export const UNBOUNDED_PAGE = 100;
/**
 * Application Auto Scaling's listings (model `MaxResults`, documented maxima): 50 scalable targets or
 * scheduled actions, 10 scaling policies per page.
 */
export const SCALING_PAGES = { targets: 50, policies: 10, actions: 50 } as const;
