/**
 * One endpoint's record after a check (pure): health counted in consecutive failed checks,
 * the last known offer kept while a server does not answer (nothing is ever deleted), and a tool
 * change recorded when the tool set's fingerprint moves.
 */
import type { EndpointResult } from './endpoint-result.ts';
import type { EndpointNeeds, EndpointRecord } from './inspection-file.ts';
import { toolChange } from './tool-changes.ts';

export const MAX_TOOL_CHANGES = 10;

/** Failures that say nothing about the server: we did not ask (budget) or it asked us to wait. */
export function isNoCheck(result: EndpointResult): boolean {
  return result.error?.code === 'budget-exhausted' || result.error?.code === 'rate-limited';
}

export function nextRecord(
  previous: EndpointRecord | undefined,
  result: EndpointResult,
  now: string,
  notAnsweringAfter: number,
  needs?: EndpointNeeds,
): EndpointRecord | undefined {
  if (isNoCheck(result)) return previous;
  const noted = needs && Object.keys(needs).length > 0 ? { needs } : {};
  if (result.reachable) {
    const change =
      previous?.fingerprint !== undefined && result.fingerprint !== undefined
        ? toolChange(previous.tools, previous.fingerprint, result.tools, result.fingerprint, now)
        : undefined;
    const changes = [...(previous?.toolChanges ?? []), ...(change ? [change] : [])].slice(-MAX_TOOL_CHANGES);
    return { ...result, checkedAt: now, lastReachableAt: now, consecutiveFailures: 0, ...noted, ...(changes.length > 0 ? { toolChanges: changes } : {}) };
  }
  const failures = (previous?.consecutiveFailures ?? 0) + 1;
  const lastOffer = previous
    ? {
        tools: previous.tools,
        prompts: previous.prompts,
        resources: previous.resources,
        ...(previous.fingerprint === undefined ? {} : { fingerprint: previous.fingerprint }),
        ...(previous.serverInfo === undefined ? {} : { serverInfo: previous.serverInfo }),
        ...(previous.protocolVersion === undefined ? {} : { protocolVersion: previous.protocolVersion }),
        ...(previous.capabilities === undefined ? {} : { capabilities: previous.capabilities }),
        ...(previous.detailsOmitted ? { detailsOmitted: true as const } : {}),
        ...(previous.truncated ? { truncated: true as const } : {}),
      }
    : {};
  return {
    ...result,
    ...lastOffer,
    checkedAt: now,
    ...(previous?.lastReachableAt === undefined ? {} : { lastReachableAt: previous.lastReachableAt }),
    consecutiveFailures: failures,
    ...(failures >= notAnsweringAfter ? { notAnswering: true as const } : {}),
    ...noted,
    ...(previous?.toolChanges ? { toolChanges: previous.toolChanges } : {}),
  };
}

/** A scheduled run leaves an endpoint alone until its interval has passed since the last check. */
export function isDue(previous: EndpointRecord | undefined, now: string, intervalDays: number): boolean {
  if (!previous) return true;
  // A little slack, so a weekly cron that starts a few minutes early still counts as a week.
  return Date.parse(now) - Date.parse(previous.checkedAt) >= intervalDays * 86_400_000 - 3_600_000;
}
