/**
 * What a build shows of a version's inspection under `_meta[<metaNamespace>].inspection` (pure).
 * Clients that ignore unknown `_meta` keys are unaffected; clients that read it get the tools, the
 * health flags and whether the tools changed. Bounded so one server with 10,000 tools cannot
 * swell every API page: the first MAX_META_TOOLS tools by name, and the count of all; the last
 * MAX_META_TOOL_CHANGES tool changes (names capped, counted), the latest with its diff.
 */
import type { InspectionFile } from './inspection-file.ts';
import type { ToolChange } from './tool-changes.ts';

export const MAX_META_TOOLS = 200;
/** The readable diff of the latest tool change, as far as `_meta` carries it (the file keeps it whole). */
export const MAX_META_DIFF = 8192;

/** Tool changes per endpoint that `_meta` lists (the file keeps MAX_TOOL_CHANGES): the changes feed's window. */
export const MAX_META_TOOL_CHANGES = 10;
/** Names per list (added, removed, changed) of one change; `counts` says how many there were. */
export const MAX_META_CHANGE_NAMES = 100;

const names = (list: readonly string[]) => list.slice(0, MAX_META_CHANGE_NAMES);

/** One change as `_meta` lists it: when, the set fingerprints, the tool names (capped) and how many of each. */
function changeEvent(c: ToolChange) {
  const changed = c.changed.map((x) => x.name);
  return {
    detectedAt: c.detectedAt,
    from: c.from,
    to: c.to,
    added: names(c.added),
    removed: names(c.removed),
    changed: names(changed),
    counts: { added: c.added.length, removed: c.removed.length, changed: changed.length },
  };
}

export function inspectionMeta(file: InspectionFile): Record<string, unknown> {
  const endpoints = file.endpoints.map((e) => {
    const last = e.toolChanges?.at(-1);
    const history = (e.toolChanges ?? []).slice(-MAX_META_TOOL_CHANGES).map(changeEvent).reverse();
    return {
      url: e.url,
      transport: e.transport,
      reachable: e.reachable,
      ...(e.error ? { error: e.error } : {}),
      ...(e.protocolVersion ? { protocolVersion: e.protocolVersion } : {}),
      ...(e.serverInfo ? { serverInfo: e.serverInfo } : {}),
      checkedAt: e.checkedAt,
      ...(e.lastReachableAt ? { lastReachableAt: e.lastReachableAt } : {}),
      notAnswering: e.notAnswering === true,
      ...(e.fingerprint ? { fingerprint: e.fingerprint } : {}),
      toolCount: e.tools.length,
      tools: e.tools.slice(0, MAX_META_TOOLS),
      prompts: e.prompts.slice(0, MAX_META_TOOLS),
      resources: e.resources.slice(0, MAX_META_TOOLS),
      ...(last
        ? {
            toolsChanged: {
              ...changeEvent(last),
              diff: last.diff.length <= MAX_META_DIFF ? last.diff : `${last.diff.slice(0, MAX_META_DIFF - 1)}…`,
            },
            // Newest first: every change the feed lists, not only the latest.
            toolChangeHistory: history,
          }
        : {}),
    };
  });
  const checked = endpoints.map((e) => e.checkedAt).sort();
  return {
    inspection: {
      lastCheckedAt: checked.at(-1) ?? null,
      answering: endpoints.some((e) => e.reachable),
      notAnswering: endpoints.length > 0 && endpoints.every((e) => e.notAnswering),
      toolsChanged: endpoints.some((e) => e.toolsChanged !== undefined),
      endpoints,
    },
  };
}
