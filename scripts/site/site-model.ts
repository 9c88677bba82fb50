/**
 * The site's view model, computed from the catalog's server summaries (server-view.ts orders
 * the versions; nothing here sorts them) and nothing else. Deleted versions never reach it; a
 * server whose versions are all deleted is absent. Every string is still untrusted: pages print it through Astro's escaping, links go through safe-url.
 */
import { hash } from 'node:crypto';
import { compareInstants, compareStrings } from '../core/compare.ts';
import { countFacets } from '../catalog/server-facets.ts';
import type { FacetCount, ServerFacets } from '../catalog/server-facets.ts';
import { namespaceOf, summarizeServer, text } from '../catalog/server-summary.ts';
import type { ServerSummary } from '../catalog/server-summary.ts';
import type { ServerView, VersionView } from '../catalog/server-view.ts';
import type { ServerJson, ServerStatus } from '../core/api-types.ts';
import { isRecord } from '../core/is-record.ts';
import type { ReadmeFile } from '../readme/readme-file.ts';
import { renderInstallOptions } from './install-snippets.ts';
import type { InstallOption } from './install-snippets.ts';
import { packageLink } from './package-links.ts';
import type { PackageLink } from './package-links.ts';
import { renderReadme } from './readme-html.ts';
import { registryMetaBlocks } from './registry-meta.ts';
import type { RegistryMetaBlock } from './registry-meta.ts';
import { safeHttpUrl, safeIconUrl } from './safe-url.ts';
import { trustSignals } from './server-trust.ts';
import type { TrustSignal } from './server-trust.ts';
import { namespaceSlug, serverSlug, versionSlug } from './server-slug.ts';

export { namespaceSlug, serverSlug, versionSlug };

/**
 * Keys of the registry's own `_meta` block that pages render as sections of their own rather
 * than as registry notes: state a later stage fetches (README, inspection) and the verify record.
 */
export const RENDERED_META_KEYS = ['readme', 'inspection', 'verification'] as const;

export interface PackageRow {
  registryType: string;
  identifier: string;
  version: string;
  /** The package's page on its registry, when it has a public one. */
  link?: PackageLink;
}

/** A tool's parameter (from its input schema) or a prompt's argument. */
export interface CapabilityParameter {
  name: string;
  /** The JSON Schema type(s), `''` when the schema does not say. */
  type: string;
  required: boolean;
  description: string;
}

/** A tool, prompt or resource as an inspection recorded it. */
export interface CapabilityItem {
  name: string;
  description: string;
  parameters?: CapabilityParameter[];
}

/** One endpoint's health as the last inspection found it. */
export interface InspectedEndpoint {
  url: string;
  transport: string;
  reachable: boolean;
  /** Failed `inspect.notAnsweringAfter` checks in a row. */
  notAnswering: boolean;
  /** Why it did not answer: the inspect failure code (`auth-required`, `timeout`, ...). */
  error?: string;
  checkedAt: string;
  lastReachableAt?: string;
}

/** One tool change an endpoint's re-inspection found (the changes feed lists each); names capped, `counts` of all. */
export interface ToolChangeEvent {
  url: string;
  detectedAt: string;
  added: string[];
  removed: string[];
  changed: string[];
  counts: { added: number; removed: number; changed: number };
}

/** The latest tool change an endpoint's re-inspection found for this same version. */
export interface ToolsChangedNotice {
  url: string;
  detectedAt: string;
  added: string[];
  removed: string[];
  changed: string[];
  /** Readable diff (untrusted text: shown escaped, in a `<pre>`). */
  diff: string;
}

/** What `_meta[<metaNamespace>].inspection` says of one version (docs/inspection.md). */
export interface Inspection {
  lastCheckedAt?: string;
  /** Some endpoint answered on its last check. */
  answering: boolean;
  /** Every endpoint is flagged not answering. */
  notAnswering: boolean;
  endpoints: InspectedEndpoint[];
  /** Across endpoints, by name, first listing wins; at most the first MAX_META_TOOLS of each. */
  tools: CapabilityItem[];
  /** How many tools the servers listed (more than `tools` when `_meta` carries only the first ones). */
  toolCount: number;
  prompts: CapabilityItem[];
  resources: CapabilityItem[];
  toolsChanged: ToolsChangedNotice[];
  /** Every endpoint's recorded changes (at most 10 each, as `_meta` lists them), newest first per endpoint. */
  toolChangeHistory: ToolChangeEvent[];
}

export interface Readme {
  /** Sanitised (readme-html.ts). */
  html: string;
  sourceUrl?: string;
  fetchedAt?: string;
  /** The version whose package or repository gave it, when not the version the page shows. */
  ofVersion?: string;
  /** It was cut at the registry's size cap. */
  truncated?: true;
}

/** One version's own page: `servers/<slug>/versions/<version slug>/`. */
export interface VersionPageModel {
  slug: string;
  version: string;
  status: ServerStatus;
  statusMessage?: string;
  publishedAt: string;
  updatedAt: string;
  isLatest: boolean;
  description: string;
  packages: PackageRow[];
  remotes: { type: string; url: string }[];
  install: InstallOption[];
  inspection?: Inspection;
}

export interface VersionRow {
  version: string;
  /** Path of the version's page below the server's page. */
  slug: string;
  status: ServerStatus;
  statusMessage?: string;
  publishedAt: string;
  updatedAt: string;
  isLatest: boolean;
}

export interface ServerPageModel {
  name: string;
  /** Path of the server's page below the site root, without slashes around it. */
  slug: string;
  namespace: string;
  title: string;
  /** False when the server has no title of its own (the title is then the name: show it once). */
  hasTitle: boolean;
  description: string;
  version: string;
  status: ServerStatus;
  statusMessage?: string;
  publishedAt: string;
  updatedAt: string;
  iconUrl?: string;
  repositoryUrl?: string;
  /** Shown as text when the repository value is not a safe link. */
  repositoryText?: string;
  websiteUrl?: string;
  websiteText?: string;
  packages: PackageRow[];
  remotes: { type: string; url: string }[];
  versions: VersionRow[];
  /** Every live version's own page, in the table's order. */
  versionPages: VersionPageModel[];
  install: InstallOption[];
  facets: ServerFacets;
  trust: TrustSignal[];
  /** What registries add under their own `_meta` keys (overlays, provenance); absent when nothing. */
  registryMeta?: RegistryMetaBlock[];
  /** Registry-owned state, when a stage has recorded it (see docs/site.md). */
  readme?: Readme;
  inspection?: Inspection;
}

/** A server whose every version is deleted: its page says so, when and why. */
export interface RemovedServerModel {
  name: string;
  slug: string;
  removedAt: string;
  /** The status message of the removal (the reason), when there is one. */
  message?: string;
}

export interface NamespaceModel {
  name: string;
  slug: string;
  servers: string[];
}

export interface SiteModel {
  registryName: string;
  /** The latest `updatedAt` in the catalog ('' for an empty one): the site's only notion of "now". */
  lastUpdated: string;
  servers: ServerPageModel[];
  /** Names of the most recently updated servers, newest first (the home page's list). */
  recent: string[];
  namespaces: NamespaceModel[];
  facetCounts: FacetCount[];
  removed: RemovedServerModel[];
}

export { namespaceOf };

/** How many servers the home page lists under "Recently updated". */
export const RECENT_ON_HOME = 20;

function linkOrText(value: unknown): { url?: string; text?: string } {
  const url = safeHttpUrl(value);
  if (url !== undefined) return { url };
  return typeof value === 'string' && value.trim() !== '' ? { text: value } : {};
}

function versionRow(v: VersionView): VersionRow {
  return {
    version: v.version,
    slug: versionSlug(v.version),
    status: v.official.status,
    ...(v.official.status === 'deprecated' && typeof v.official.statusMessage === 'string' ? { statusMessage: v.official.statusMessage } : {}),
    publishedAt: text(v.official.publishedAt),
    updatedAt: text(v.official.updatedAt),
    isLatest: v.official.isLatest === true,
  };
}

function packageRows(server: ServerJson): PackageRow[] {
  const packages = Array.isArray(server.packages) ? server.packages : [];
  return packages.map((p) => {
    const row = { registryType: text(p?.registryType), identifier: text(p?.identifier), version: text(p?.version) };
    const link = packageLink({ ...row, ...(typeof p?.registryBaseUrl === 'string' ? { registryBaseUrl: p.registryBaseUrl } : {}) });
    return link === undefined ? row : { ...row, link };
  });
}

function remoteRows(server: ServerJson): { type: string; url: string }[] {
  return (Array.isArray(server.remotes) ? server.remotes : []).map((r) => ({ type: text(r?.type), url: text(r?.url) }));
}

function ownMeta(v: VersionView, metaNamespace: string): Record<string, unknown> {
  const block = v.response._meta?.[metaNamespace];
  return isRecord(block) ? block : {};
}

/** Pure: what the inspection in a version's own `_meta` says, as pages and the changes feed show it. */
export function versionInspection(v: VersionView, metaNamespace: string): Inspection | undefined {
  return inspectionOf(ownMeta(v, metaNamespace));
}

function versionPage(v: VersionView, metaNamespace: string): VersionPageModel {
  const server = v.response.server;
  const row = versionRow(v);
  const inspection = inspectionOf(ownMeta(v, metaNamespace));
  return {
    ...row,
    ...(v.official.status === 'deprecated' ? { statusMessage: text(v.official.statusMessage, 'This version is deprecated.') } : {}),
    description: text(server.description),
    packages: packageRows(server),
    remotes: remoteRows(server),
    install: renderInstallOptions(server),
    ...(inspection ? { inspection } : {}),
  };
}

const MAX_ITEMS = 500;
const MAX_PARAMETERS = 50;
const names = (value: unknown): string[] => (Array.isArray(value) ? value.filter((n): n is string => typeof n === 'string').slice(0, MAX_ITEMS) : []);

function schemaType(value: unknown): string {
  if (typeof value === 'string') return value.slice(0, 40);
  return Array.isArray(value)
    ? value
        .filter((t) => typeof t === 'string')
        .join(' | ')
        .slice(0, 80)
    : '';
}

/** Parameters from a tool's input schema (`properties`, `required`), in the schema's order. */
function toolParameters(schema: unknown): CapabilityParameter[] {
  if (!isRecord(schema) || !isRecord(schema.properties)) return [];
  const required = new Set(names(schema.required));
  return Object.entries(schema.properties)
    .slice(0, MAX_PARAMETERS)
    .map(([name, prop]) => ({
      name: name.slice(0, 200),
      type: isRecord(prop) ? schemaType(prop.type) : '',
      required: required.has(name),
      description: isRecord(prop) ? text(prop.description).slice(0, 2000) : '',
    }));
}

function promptParameters(args: unknown): CapabilityParameter[] {
  if (!Array.isArray(args)) return [];
  return args
    .filter(isRecord)
    .slice(0, MAX_PARAMETERS)
    .map((a) => ({ name: text(a.name).slice(0, 200), type: '', required: a.required === true, description: text(a.description).slice(0, 2000) }))
    .filter((a) => a.name !== '');
}

function capabilityItems(value: unknown, kind: 'tool' | 'prompt' | 'resource'): CapabilityItem[] {
  if (!Array.isArray(value)) return [];
  return value
    .filter(isRecord)
    .map((item): CapabilityItem => {
      const name = (kind === 'resource' ? text(item.name) || text(item.uri) : text(item.name)).slice(0, 200);
      const parameters = kind === 'tool' ? toolParameters(item.inputSchema) : kind === 'prompt' ? promptParameters(item.arguments) : [];
      return { name, description: text(item.description).slice(0, 2000), ...(parameters.length > 0 ? { parameters } : {}) };
    })
    .filter((item) => item.name !== '')
    .slice(0, MAX_ITEMS);
}

function union(lists: CapabilityItem[][]): CapabilityItem[] {
  const seen = new Map<string, CapabilityItem>();
  for (const list of lists) for (const item of list) if (!seen.has(item.name)) seen.set(item.name, item);
  return [...seen.values()].slice(0, MAX_ITEMS);
}

/** Pure: the inspection block of a version's own `_meta` (inspect/inspection-meta.ts), re-checked: it is someone else's text. */
function inspectionOf(own: Record<string, unknown>): Inspection | undefined {
  const raw = own.inspection;
  if (!isRecord(raw) || !Array.isArray(raw.endpoints)) return undefined;
  const records = raw.endpoints.filter(isRecord).slice(0, 50);
  if (records.length === 0) return undefined;
  const endpoints: InspectedEndpoint[] = records.map((e) => ({
    url: text(e.url).slice(0, 2000),
    transport: text(e.transport),
    reachable: e.reachable === true,
    notAnswering: e.notAnswering === true,
    ...(isRecord(e.error) && typeof e.error.code === 'string' ? { error: e.error.code.slice(0, 40) } : {}),
    checkedAt: text(e.checkedAt),
    ...(typeof e.lastReachableAt === 'string' ? { lastReachableAt: e.lastReachableAt } : {}),
  }));
  const tools = union(records.map((e) => capabilityItems(e.tools, 'tool')));
  const counted = Math.max(0, ...records.map((e) => (typeof e.toolCount === 'number' && Number.isFinite(e.toolCount) ? e.toolCount : 0)));
  const toolsChanged: ToolsChangedNotice[] = records.flatMap((e) => {
    const c = e.toolsChanged;
    if (!isRecord(c)) return [];
    return [
      {
        url: text(e.url).slice(0, 2000),
        detectedAt: text(c.detectedAt),
        added: names(c.added),
        removed: names(c.removed),
        changed: names(c.changed),
        diff: text(c.diff).slice(0, 8192),
      },
    ];
  });
  const count = (value: unknown, listed: number) => (Number.isSafeInteger(value) && (value as number) >= listed ? (value as number) : listed);
  const toolChangeHistory: ToolChangeEvent[] = records.flatMap((e) => {
    const listed = Array.isArray(e.toolChangeHistory) ? e.toolChangeHistory : isRecord(e.toolsChanged) ? [e.toolsChanged] : [];
    return listed
      .filter(isRecord)
      .slice(0, 10)
      .map((c) => {
        const [added, removed, changed] = [names(c.added), names(c.removed), names(c.changed)];
        const counts = isRecord(c.counts) ? c.counts : {};
        return {
          url: text(e.url).slice(0, 2000),
          detectedAt: text(c.detectedAt),
          added,
          removed,
          changed,
          counts: { added: count(counts.added, added.length), removed: count(counts.removed, removed.length), changed: count(counts.changed, changed.length) },
        };
      })
      .filter((c) => c.detectedAt !== '');
  });
  return {
    ...(typeof raw.lastCheckedAt === 'string' ? { lastCheckedAt: raw.lastCheckedAt } : {}),
    answering: endpoints.some((e) => e.reachable),
    notAnswering: endpoints.every((e) => e.notAnswering),
    endpoints,
    tools,
    toolCount: Math.max(tools.length, counted),
    prompts: union(records.map((e) => capabilityItems(e.prompts, 'prompt'))),
    resources: union(records.map((e) => capabilityItems(e.resources, 'resource'))),
    toolsChanged,
    toolChangeHistory,
  };
}

function readmeOf(own: Record<string, unknown>): Readme | undefined {
  const raw = own.readme;
  if (!isRecord(raw)) return undefined;
  const html = renderReadme({
    ...(typeof raw.markdown === 'string' ? { markdown: raw.markdown } : {}),
    ...(typeof raw.html === 'string' ? { html: raw.html } : {}),
  });
  if (html === '') return undefined;
  const sourceUrl = safeHttpUrl(raw.source);
  return { html, ...(sourceUrl ? { sourceUrl } : {}), ...(typeof raw.fetchedAt === 'string' ? { fetchedAt: raw.fetchedAt } : {}) };
}

/** A README the readme stage recorded (registry/readmes/), rendered. */
function recordedReadme(file: ReadmeFile, shownVersion: string): Readme | undefined {
  const html = renderReadme({ markdown: file.text });
  if (html === '') return undefined;
  const sourceUrl = safeHttpUrl(file.source);
  return {
    html,
    ...(sourceUrl ? { sourceUrl } : {}),
    fetchedAt: file.fetchedAt,
    ...(file.version !== shownVersion ? { ofVersion: file.version } : {}),
    ...(file.truncated ? { truncated: true as const } : {}),
  };
}

function serverPage(summary: ServerSummary, metaNamespace: string, recorded?: ReadmeFile): ServerPageModel {
  const { name, server, official: meta } = summary;
  const repository = linkOrText(server.repository?.url);
  const website = linkOrText(server.websiteUrl);
  const icons = Array.isArray(server.icons) ? server.icons : [];
  const iconUrl = icons.map((icon) => safeIconUrl(icon?.src)).find((u) => u !== undefined);
  const own = ownMeta(summary.shown, metaNamespace);
  const registryMeta = registryMetaBlocks(summary.shown.response._meta, { [metaNamespace]: RENDERED_META_KEYS });
  // The readme stage's record first; a README an overlay carries in _meta otherwise.
  const readme = (recorded ? recordedReadme(recorded, text(server.version)) : undefined) ?? readmeOf(own);
  const inspection = inspectionOf(own);
  const namespace = namespaceOf(name);
  return {
    name,
    slug: serverSlug(name),
    namespace,
    title: summary.title,
    hasTitle: summary.title !== name,
    description: summary.description,
    version: text(server.version),
    status: meta.status,
    ...(meta.status === 'deprecated' ? { statusMessage: text(meta.statusMessage, 'This server is deprecated.') } : {}),
    publishedAt: text(meta.publishedAt),
    updatedAt: text(meta.updatedAt),
    ...(iconUrl !== undefined ? { iconUrl } : {}),
    ...(repository.url !== undefined ? { repositoryUrl: repository.url } : {}),
    ...(repository.text !== undefined ? { repositoryText: repository.text } : {}),
    ...(website.url !== undefined ? { websiteUrl: website.url } : {}),
    ...(website.text !== undefined ? { websiteText: website.text } : {}),
    packages: packageRows(server),
    remotes: summary.remotes,
    versions: summary.live.map(versionRow),
    versionPages: summary.live.map((v) => versionPage(v, metaNamespace)),
    install: renderInstallOptions(server),
    facets: summary.facets,
    trust: trustSignals({ name, namespace, publisher: summary.publisher, ...(repository.url ? { repositoryUrl: repository.url } : {}), registryMeta: own }),
    ...(registryMeta.length > 0 ? { registryMeta } : {}),
    ...(readme ? { readme } : {}),
    ...(inspection ? { inspection } : {}),
  };
}

/** Pure: servers whose every version is deleted, with the newest removal's date and message. */
export function removedServers(views: readonly ServerView[]): RemovedServerModel[] {
  const out: RemovedServerModel[] = [];
  for (const view of views) {
    if (view.versions.length === 0 || view.versions.some((v) => v.official.status !== 'deleted')) continue;
    let newest = view.versions[0] as VersionView;
    for (const v of view.versions) if (compareInstants(text(v.official.statusChangedAt), text(newest.official.statusChangedAt)) > 0) newest = v;
    const message = text(newest.official.statusMessage).trim();
    out.push({ name: view.name, slug: serverSlug(view.name), removedAt: text(newest.official.statusChangedAt), ...(message ? { message } : {}) });
  }
  return out;
}

function newestUpdate(live: readonly VersionView[]): string {
  let lastUpdated = '';
  for (const v of live) {
    const updated = text(v.official.updatedAt);
    if (lastUpdated === '' || compareInstants(updated, lastUpdated) > 0) lastUpdated = updated;
  }
  return lastUpdated;
}

/** Pure: the whole site's view model, from the summaries of the catalog's servers. */
export function buildSiteModel(
  summaries: readonly ServerSummary[],
  registryName: string,
  options: { metaNamespace?: string; removed?: RemovedServerModel[]; readmes?: ReadonlyMap<string, ReadmeFile> } = {},
): SiteModel {
  const metaNamespace = options.metaNamespace ?? '';
  const servers = summaries.map((summary) => serverPage(summary, metaNamespace, options.readmes?.get(summary.name.toLowerCase())));
  return siteModelOf(
    servers,
    summaries.map((summary) => newestUpdate(summary.live)),
    registryName,
    options.removed ?? [],
  );
}

function siteModelOf(servers: ServerPageModel[], updates: readonly string[], registryName: string, removed: RemovedServerModel[]): SiteModel {
  const namespaces = new Map<string, NamespaceModel>();
  for (const s of servers) {
    const ns = namespaces.get(s.namespace) ?? { name: s.namespace, slug: namespaceSlug(s.namespace), servers: [] };
    ns.servers.push(s.name);
    namespaces.set(s.namespace, ns);
  }
  let lastUpdated = '';
  for (const updated of updates) if (updated !== '' && (lastUpdated === '' || compareInstants(updated, lastUpdated) > 0)) lastUpdated = updated;
  const recent = [...servers]
    .sort((a, b) => compareInstants(b.updatedAt, a.updatedAt) || compareStrings(a.name, b.name))
    .slice(0, RECENT_ON_HOME)
    .map((s) => s.name);
  return {
    registryName,
    lastUpdated,
    servers,
    recent,
    namespaces: [...namespaces.values()].sort((a, b) => compareStrings(a.name, b.name)),
    facetCounts: countFacets(servers.map((s) => s.facets)),
    removed,
  };
}

/** sitePages's digest of a server's whole model (what its own pages read), as the page keys use it. */
export function pageModelDigest(server: ServerPageModel): string {
  const known = server instanceof CachedServerModel ? server.pageDigest : undefined;
  return known ?? hash('sha256', `${JSON.stringify(server)}\0`, 'base64url').slice(0, 32);
}

/** The slugs of a server's version pages, without computing the pages when its model is cached. */
export function versionPageSlugs(server: ServerPageModel): readonly string[] {
  return server instanceof CachedServerModel ? server.versionSlugs : server.versionPages.map((v) => v.slug);
}

/** What the pages listing a server read of it (ServerList.astro, listings.ts), plus what the site-wide parts read. */
export interface ListedFields {
  name: string;
  slug: string;
  namespace: string;
  title: string;
  hasTitle: boolean;
  description: string;
  version: string;
  status: ServerStatus;
  publishedAt: string;
  updatedAt: string;
  facets: ServerFacets;
}

/** One server's cached model: what every build needs of it, by the digest of its inputs. */
export interface ServerModelRecord {
  /** Digest of the server's inputs (its view, its recorded README, the meta namespace). */
  input: string;
  listed: ListedFields;
  /** pageModelDigest of the whole model. */
  page: string;
  /** Its version pages' slugs, in order. */
  versions: string[];
  /** The latest updatedAt of its live versions ('' when none parses). */
  updated: string;
}

/** Where cachedSiteModel looks records up and leaves the ones it made (server-model-cache.ts keeps them on disk). */
export interface ServerModelRecords {
  get(name: string, input: string): ServerModelRecord | undefined;
  put(name: string, record: ServerModelRecord): void;
}

interface ModelSource {
  view: ServerView;
  metaNamespace: string;
  readme: ReadmeFile | undefined;
}

/** The last model a CachedServerModel computed: reading one server's fields in a row computes it once. */
let lastComputed: { of: CachedServerModel; model: ServerPageModel } | undefined;

/**
 * A server's model whose listed fields are at hand and whose other parts (install snippets,
 * version pages, README, …) are computed from its view when read, and not kept: a build holds
 * the whole model of the servers whose pages render, one at a time, never of all. JSON.stringify
 * gives the whole model (toJSON), key for key what serverPage returns.
 */
class CachedServerModel implements ListedFields {
  readonly name: string;
  readonly slug: string;
  readonly namespace: string;
  readonly title: string;
  readonly hasTitle: boolean;
  readonly description: string;
  readonly version: string;
  readonly status: ServerStatus;
  readonly publishedAt: string;
  readonly updatedAt: string;
  readonly facets: ServerFacets;
  readonly #source: ModelSource;
  readonly #record: ServerModelRecord;

  constructor(record: ServerModelRecord, source: ModelSource) {
    const { listed } = record;
    this.name = listed.name;
    this.slug = listed.slug;
    this.namespace = listed.namespace;
    this.title = listed.title;
    this.hasTitle = listed.hasTitle;
    this.description = listed.description;
    this.version = listed.version;
    this.status = listed.status;
    this.publishedAt = listed.publishedAt;
    this.updatedAt = listed.updatedAt;
    this.facets = listed.facets;
    this.#source = source;
    this.#record = record;
  }

  get pageDigest(): string {
    return this.#record.page;
  }

  get versionSlugs(): readonly string[] {
    return this.#record.versions;
  }

  whole(): ServerPageModel {
    if (lastComputed?.of === this) return lastComputed.model;
    const { view, metaNamespace, readme } = this.#source;
    const summary = summarizeServer(view, metaNamespace);
    if (summary === undefined) throw new Error(`site model: ${view.name} has no live version`);
    const model = serverPage(summary, metaNamespace, readme);
    lastComputed = { of: this, model };
    return model;
  }

  toJSON(): ServerPageModel {
    return this.whole();
  }

  get statusMessage() {
    return this.whole().statusMessage;
  }
  get iconUrl() {
    return this.whole().iconUrl;
  }
  get repositoryUrl() {
    return this.whole().repositoryUrl;
  }
  get repositoryText() {
    return this.whole().repositoryText;
  }
  get websiteUrl() {
    return this.whole().websiteUrl;
  }
  get websiteText() {
    return this.whole().websiteText;
  }
  get packages() {
    return this.whole().packages;
  }
  get remotes() {
    return this.whole().remotes;
  }
  get versions() {
    return this.whole().versions;
  }
  get versionPages() {
    return this.whole().versionPages;
  }
  get install() {
    return this.whole().install;
  }
  get trust() {
    return this.whole().trust;
  }
  get registryMeta() {
    return this.whole().registryMeta;
  }
  get readme() {
    return this.whole().readme;
  }
  get inspection() {
    return this.whole().inspection;
  }
}

/** Digest of what a server's model is made of: its view (versions, responses, dates, _meta), its recorded README and the meta namespace. */
export function serverInputDigest(view: ServerView, metaNamespace: string, readme: ReadmeFile | undefined): string {
  const text = `site-model 1\0${metaNamespace}\0${view.name}\0${JSON.stringify(view.versions)}\0${readme === undefined ? '' : JSON.stringify(readme)}`;
  return hash('sha256', text, 'base64url');
}

function listedOf(model: ServerPageModel): ListedFields {
  const { name, slug, namespace, title, hasTitle, description, version, status, publishedAt, updatedAt, facets } = model;
  return { name, slug, namespace, title, hasTitle, description, version, status, publishedAt, updatedAt, facets };
}

/**
 * Pure but for `records`: the site model buildSiteModel makes from the same views, each server's
 * model from its record when the digest of its inputs is known there, else computed and recorded.
 * Servers' models are CachedServerModels: their heavy parts are computed only when read.
 */
export function cachedSiteModel(
  views: readonly ServerView[],
  registryName: string,
  records: ServerModelRecords,
  options: { metaNamespace?: string; removed?: RemovedServerModel[]; readmes?: ReadonlyMap<string, ReadmeFile> } = {},
): SiteModel {
  const metaNamespace = options.metaNamespace ?? '';
  const servers: ServerPageModel[] = [];
  const updates: string[] = [];
  for (const view of views) {
    if (!view.versions.some((v) => v.official.status !== 'deleted')) continue;
    const readme = options.readmes?.get(view.name.toLowerCase());
    const source: ModelSource = { view, metaNamespace, readme };
    const input = serverInputDigest(view, metaNamespace, readme);
    let record = records.get(view.name, input);
    if (record === undefined) {
      const summary = summarizeServer(view, metaNamespace);
      if (summary === undefined) continue;
      const model = serverPage(summary, metaNamespace, readme);
      record = {
        input,
        listed: listedOf(model),
        page: pageModelDigest(model),
        versions: model.versionPages.map((v) => v.slug),
        updated: newestUpdate(summary.live),
      };
      records.put(view.name, record);
    }
    servers.push(new CachedServerModel(record, source) as unknown as ServerPageModel);
    updates.push(record.updated);
  }
  return siteModelOf(servers, updates, registryName, options.removed ?? []);
}
