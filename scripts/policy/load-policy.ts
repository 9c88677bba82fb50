/** The policy section of a loaded config, as an `exclude` function for import and sync. */
import type { RegistryConfig } from '../config/registry-config.ts';
import type { ServerJson, ServerStatus } from '../core/api-types.ts';
import { environmentError } from '../core/errors.ts';
import { compilePolicy, evaluatePolicy } from './policy.ts';
import type { Policy } from './policy.ts';

export function policyOf(config: RegistryConfig): Policy {
  const result = compilePolicy(config.extra.policy);
  if (!result.ok) throw environmentError(`registry.config.yaml: ${result.error.join('; ')}`);
  return result.value;
}

/** A reason to leave the entry out, or undefined. */
export function policyExclusion(policy: Policy): (server: ServerJson, official: { status?: ServerStatus }) => string | undefined {
  return (server, official) => {
    const decision = evaluatePolicy(policy, server, official.status ?? 'active');
    return decision.allowed ? undefined : decision.reason;
  };
}
