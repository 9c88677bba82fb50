/** Every code building the catalog reports; docs/api.md has each. */
export const CATALOG_CODES = [
  'catalog/duplicate-version',
  'catalog/overlay-unknown-server',
  'catalog/overlay-reserved-key',
  'catalog/status-unknown-server',
] as const;

export type CatalogCode = (typeof CATALOG_CODES)[number];
