/**
 * What a build shows of a version's inspection under `_meta[<metaNamespace>].inspection` (pure).
 * Clients that ignore unknown `_meta` keys are unaffected; clients that read it get the tools, the
 * health flags and whether the tools changed. Bounded so one server with 10,000 tools cannot
 * swell every API page: the first MAX_META_TOOLS tools by name, and the count of all.
 */
import type { InspectionFile } from './inspection-file.ts';

export const MAX_META_TOOLS = 200;
/** The readable diff of the latest tool change, as far as `_meta` carries it (the file keeps it whole). */
export const MAX_META_DIFF = 8192;

export function inspectionMeta(file: InspectionFile): Record<string, unknown> {
  const endpoints = file.endpoints.map((e) => {
    const last = e.toolChanges?.at(-1);
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
              detectedAt: last.detectedAt,
              from: last.from,
              to: last.to,
              added: last.added,
              removed: last.removed,
              changed: last.changed.map((c) => c.name),
              diff: last.diff.length <= MAX_META_DIFF ? last.diff : `${last.diff.slice(0, MAX_META_DIFF - 1)}…`,
            },
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
