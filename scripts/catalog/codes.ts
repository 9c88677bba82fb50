/** Every code building the catalog reports; docs/api.md has each. */
export const CATALOG_CODES = ['catalog/duplicate-version', 'catalog/overlay-unknown-server', 'catalog/status-unknown-server'] as const;

export type CatalogCode = (typeof CATALOG_CODES)[number];

/** Every code reading registry-owned state files reports (state-files.ts); docs/subregistry.md has each. */
export const STATE_CODES = ['state/yaml', 'state/upstream'] as const;

export type StateCode = (typeof STATE_CODES)[number];
