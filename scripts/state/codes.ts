/** Every code reading registry-owned state files reports (state-files.ts); docs/subregistry.md has each. */
export const STATE_CODES = ['state/yaml', 'state/upstream'] as const;

export type StateCode = (typeof STATE_CODES)[number];
