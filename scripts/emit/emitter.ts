/**
 * What `mcp-registry build` hands to each emitter. An emitter turns the catalog into files of
 * dist/; the build runs them in order into one temporary tree (see files/atomic-tree.ts). To add an
 * output, add an Emitter to the list in scripts/emit/emitters.ts.
 */
import type { ApiData } from '../api/api-data.ts';
import type { Catalog } from '../catalog/catalog.ts';
import type { RegistryConfig } from '../config/registry-config.ts';
import type { Diagnostic } from '../core/diagnostics.ts';
import type { OutputTree } from '../files/atomic-tree.ts';
import type { PhaseSink } from '../core/phase-timer.ts';
import type { LogLeaf } from './log-emitter.ts';

export const HOST_KINDS = ['node', 'nginx', 'netlify', 'cloudflare', 'github-pages'] as const;
export type HostKind = (typeof HOST_KINDS)[number];
/**
 * Hosts that publish every file of dist/ and cannot be told to refuse one (GitHub Pages): their
 * builds carry no build manifest (so a rebuild for them writes every file again).
 */
export const HOSTS_PUBLISHING_EVERY_FILE: readonly HostKind[] = ['github-pages'];

export interface BuildContext {
  /** Registry root (the folder holding servers/ and registry.config.yaml). */
  root: string;
  config: RegistryConfig;
  catalog: Catalog;
  /** The API as the router sees it (same bytes as the emitted files). */
  api: ApiData;
  host: HostKind;
  /** Public URL of the build (`--base-url`, else config.baseUrl), without trailing slash. */
  baseUrl: string;
  /** Deterministic: the HEAD commit date, or the newest updatedAt outside git. */
  builtAt: string;
  commit?: string;
  /** The text of schemas/openapi.yaml, read once per build: served as /openapi.yaml and rendered as the site's API docs. */
  openapiYaml: string;
  /** True when the build's emitters include the API's (which serves /openapi.yaml): the site then renders its docs page. */
  servesApi?: boolean;
  /** The transparency log's signing key (PKCS#8 PEM text), from --log-key or MCP_REGISTRY_LOG_KEY. */
  logKey?: string;
  /** The transparency log's leaves in log order (git first-added order), computed before the catalog. */
  logLeaves?: readonly LogLeaf[];
  /** Absolute path nginx serves the build from (`build --nginx-root`, else the output folder): named in _nginx/http.conf. */
  nginxRoot?: string;
  /** Absolute folder of the build's caches (`.cache/`), when the build keeps them: emitters may keep their own below it. */
  cacheDir?: string;
  /** Receives the wall time of an emitter's own phases (`build --timings`), when asked for. */
  timings?: PhaseSink;
}

/**
 * What an emitter returns when the rest of its work goes on in another process (the site's Astro
 * run): the build runs the emitters after it meanwhile, up to the first that `joins`, and waits for
 * it before the swap. It writes none of the paths those emitters write.
 */
export interface BackgroundWork {
  // biome-ignore lint/suspicious/noConfusingVoidType: as Emitter.emit
  background: Promise<Diagnostic[] | void>;
}

// biome-ignore lint/suspicious/noConfusingVoidType: an emitter that reports nothing returns nothing (sync or async)
export type EmitResult = Diagnostic[] | void | BackgroundWork;

export interface Emitter {
  name: string;
  /** Which host kinds it runs for; all when absent. */
  hosts?: readonly HostKind[];
  /** Waits for the emitters before it that work in the background (it reads or writes their files). */
  joins?: boolean;
  emit(context: BuildContext, out: OutputTree): Promise<EmitResult> | EmitResult;
}

export function isBackgroundWork(result: EmitResult): result is BackgroundWork {
  return typeof result === 'object' && result !== null && !Array.isArray(result) && 'background' in result;
}

/** Runs `emitter` to the end, background work included: for callers that overlap nothing (views, tests). */
// biome-ignore lint/suspicious/noConfusingVoidType: as Emitter.emit
export async function emitFully(emitter: Emitter, context: BuildContext, out: OutputTree): Promise<Diagnostic[] | void> {
  const result = await emitter.emit(context, out);
  return isBackgroundWork(result) ? result.background : result;
}
