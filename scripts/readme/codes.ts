/** Every code the README stage reports; docs/site.md has each, with a bad and a good example. */
export const README_CODES = ['readme/state-invalid', 'readme/unreachable', 'readme/not-found'] as const;

export type ReadmeCode = (typeof README_CODES)[number];
