/**
 * Views: more than one filtered registry from one tree. Each is a full API (and site, and policy
 * outputs) under its own base path, `<baseUrl>/views/<name>/`, declared in registry.config.yaml:
 *
 *   views:
 *     - name: production              # the path segment: /views/production/
 *       title: Approved for production
 *       approved: true                # only versions registry/approved.yaml approves
 *       policy:                       # optional, the grammar of the top-level policy
 *         allow: { registryTypes: [oci, remote] }
 *
 * Pure: the section → views; a built catalog's input → the catalog one view serves, rebuilt from the
 * versions it keeps (so `isLatest` is the newest version the view serves, not the registry's).
 */
import { buildCatalog } from '../catalog/catalog.ts';
import type { Catalog, CatalogEntry, CatalogInput } from '../catalog/catalog.ts';
import { isRecord } from '../core/is-record.ts';
import { err, ok } from '../core/result.ts';
import type { Result } from '../core/result.ts';
import { compilePolicy, evaluatePolicy } from '../policy/policy.ts';
import type { Policy } from '../policy/policy.ts';
import { approvalOf } from './approvals.ts';
import type { Approvals } from './approvals.ts';

/** The folder of dist/ (and the URL path below baseUrl) that holds every view. */
export const VIEWS_DIR = 'views';
/** dist/views.json: the views this build wrote, for `serve` and for clients that list them. */
export const VIEWS_MANIFEST = 'views.json';

export interface View {
  /** Lower-case letters, digits and `-`: the last segment of its base path. */
  name: string;
  title: string;
  /** Only versions the approved list approves. */
  approved: boolean;
  policy: Policy;
}

const NAME = /^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$/;
const FIELDS = ['name', 'title', 'approved', 'policy'];

/** `raw` is `config.extra.views` (undefined: no views). */
export function parseViews(raw: unknown): Result<View[], string[]> {
  if (raw === undefined || raw === null) return ok([]);
  if (!Array.isArray(raw)) return err(['views must be a list of {name, title, approved, policy}']);
  const errors: string[] = [];
  const views: View[] = [];
  for (const [i, item] of raw.entries()) {
    const where = `views[${i}]`;
    if (!isRecord(item)) {
      errors.push(`${where} must be a mapping with name and any of title, approved, policy`);
      continue;
    }
    for (const key of Object.keys(item)) if (!FIELDS.includes(key)) errors.push(`${where}.${key} is unknown; expected one of ${FIELDS.join(', ')}`);
    const { name, title, approved } = item;
    if (typeof name !== 'string' || !NAME.test(name)) {
      errors.push(`${where}.name must be lower-case letters, digits and '-' (it is the view's path: /${VIEWS_DIR}/<name>/)`);
      continue;
    }
    if (views.some((v) => v.name === name)) errors.push(`${where}.name '${name}' is used by another view`);
    if (title !== undefined && (typeof title !== 'string' || title === '')) errors.push(`${where}.title must be a non-empty string`);
    if (approved !== undefined && typeof approved !== 'boolean') errors.push(`${where}.approved must be true or false`);
    const policy = compilePolicy(item.policy);
    if (!policy.ok) errors.push(...policy.error.map((e) => `${where}.${e}`));
    else views.push({ name, title: typeof title === 'string' && title !== '' ? title : name, approved: approved === true, policy: policy.value });
  }
  return errors.length > 0 ? err(errors) : ok(views);
}

/** The view's path below the registry's base URL and in dist/: `views/<name>`. */
export function viewPath(view: Pick<View, 'name'>): string {
  return `${VIEWS_DIR}/${view.name}`;
}

export function viewBaseUrl(baseUrl: string, view: Pick<View, 'name'>): string {
  return `${baseUrl.replace(/\/+$/, '')}/${viewPath(view)}`;
}

/** Whether the view serves this version (its status as the registry serves it). */
export function viewKeeps(view: View, approvals: Approvals, entry: CatalogEntry): boolean {
  if (view.approved && approvalOf(approvals, entry.name, entry.version) === undefined) return false;
  return evaluatePolicy(view.policy, entry.response.server, entry.official.status).allowed;
}

/**
 * The catalog a view serves: the registry's catalog input with only the versions the view keeps, and
 * only the renames whose new name it still serves. `full` is the registry's catalog of that input.
 */
export function viewCatalog(view: View, input: CatalogInput, full: Catalog, approvals: Approvals): Catalog {
  const kept = new Set(full.entries.filter((e) => viewKeeps(view, approvals, e)).map((e) => e.path));
  const served = new Set(full.entries.filter((e) => kept.has(e.path)).map((e) => e.name.toLowerCase()));
  // An old name's versions leave the full catalog; the view keeps a rename when it serves the new name.
  const renames = input.renames?.filter((r) => served.has(r.to.toLowerCase()));
  const entries = input.entries.filter((e) => kept.has(e.path));
  const { renames: _all, ...rest } = input;
  return buildCatalog({ ...rest, entries, ...(renames === undefined ? {} : { renames }) });
}

export interface ViewsManifest {
  views: { name: string; title: string; path: string; baseUrl: string; servers: number; versions: number }[];
}

export function viewsManifestBody(manifest: ViewsManifest): string {
  return `${JSON.stringify(manifest, null, 2)}\n`;
}
