/** Every code `build` reports beside the catalog's; docs/api.md has each. */
export const BUILD_CODES = ['build/shallow-clone', 'build/netlify-function-too-large', 'build/log-key-not-configured'] as const;

export type BuildCode = (typeof BUILD_CODES)[number];
