/** Every code the policy stage reports (overlay files checked against the fork's schema); docs/subregistry.md has each. */
export const OVERLAY_CODES = ['overlay/shape', 'overlay/schema'] as const;

export type OverlayCode = (typeof OVERLAY_CODES)[number];
