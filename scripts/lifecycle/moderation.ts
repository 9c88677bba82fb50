/**
 * Which of a status change's parts touch a maintainer's decision. Pure: the base's and the PR's parsed status
 * files in, the parts out. A namespace owner may change their own statuses, but not a takedown a maintainer
 * recorded (`statusChangedBy: maintainer`), nor write a change that claims to be a maintainer's.
 */
import type { StatusFile, VersionStatus } from '../core/registry-state.ts';

export interface ModerationChanges {
  /** Parts whose base state a maintainer set and the PR changes or removes (`version 1.0.0`, `the latest pin`). */
  overridden: string[];
  /** Parts the PR changes and records as a maintainer's decision. */
  claimed: string[];
}

function sameEntry(a: VersionStatus | undefined, b: VersionStatus | undefined): boolean {
  if (a === undefined || b === undefined) return a === b;
  return a.status === b.status && a.statusMessage === b.statusMessage && a.statusChangedAt === b.statusChangedAt && a.statusChangedBy === b.statusChangedBy;
}

/** `head` undefined: the file is gone or unreadable, which removes every decision it held. */
export function moderationChanges(base: StatusFile | undefined, head: StatusFile | undefined): ModerationChanges {
  const overridden: string[] = [];
  const claimed: string[] = [];
  const versions = [...new Set([...Object.keys(base?.versions ?? {}), ...Object.keys(head?.versions ?? {})])].sort();
  for (const v of versions) {
    const before = base?.versions?.[v];
    const after = head?.versions?.[v];
    if (sameEntry(before, after)) continue;
    if (before?.statusChangedBy === 'maintainer') overridden.push(`version ${v}`);
    if (after?.statusChangedBy === 'maintainer') claimed.push(`version ${v}`);
  }
  const pinChanged = base?.latest !== head?.latest || base?.latestChangedBy !== head?.latestChangedBy;
  if (pinChanged && base?.latestChangedBy === 'maintainer') overridden.push('the latest pin');
  if (pinChanged && head?.latestChangedBy === 'maintainer') claimed.push('the latest pin');
  return { overridden, claimed };
}
