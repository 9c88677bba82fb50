/** Every code `publish` (and the publish Action) reports; docs/publishing.md has each. */
export const PUBLISH_CODES = ['publish/invalid', 'publish/version-path', 'publish/signing-key', 'publish/already-published', 'publish/no-base-branch'] as const;

export type PublishCode = (typeof PUBLISH_CODES)[number];
