/**
 * Defence in depth: `validate` refuses these packages already, but verification must never
 * contact a host the allow-list does not name, whoever calls it (pure).
 */
import type { Package } from '../../core/api-types.ts';
import type { Diagnostic } from '../../core/diagnostics.ts';
import { baseUrlAllowed, downloadUrl, hostAllowed, ociSource } from '../../core/package-source.ts';
import { finding } from '../finding.ts';

/** Why the package's source may not be contacted, or undefined when it may. */
export function refusedSource(pkg: Package, allowedRegistries: Readonly<Record<string, readonly string[]>>, pointer: string): Diagnostic | undefined {
  const allowed = (Object.hasOwn(allowedRegistries, pkg.registryType) ? allowedRegistries[pkg.registryType] : undefined) ?? [];
  const refuse = (source: string, field: string) =>
    finding(
      'registry-not-allowed',
      `${pkg.registryType} package ${pkg.identifier} comes from ${source}, which this registry does not allow (${allowed.join(', ') || 'none'}); nothing was fetched`,
      `${pointer}/${field}`,
    );
  switch (pkg.registryType) {
    case 'npm':
    case 'pypi':
    case 'nuget':
    case 'cargo':
      return pkg.registryBaseUrl !== undefined && !baseUrlAllowed(pkg.registryBaseUrl, allowed) ? refuse(pkg.registryBaseUrl, 'registryBaseUrl') : undefined;
    case 'oci': {
      // An unreadable or contradictory reference is the OCI verifier's to report.
      const source = ociSource(pkg.identifier, pkg.registryBaseUrl);
      return source.ok && !hostAllowed(source.value.registry, allowed) ? refuse(source.value.registry, 'identifier') : undefined;
    }
    case 'mcpb': {
      const url = downloadUrl(pkg.identifier);
      if (!url)
        return finding(
          'url-refused',
          `'${pkg.identifier}' is not an https download URL; an MCPB identifier is the bundle's https URL`,
          `${pointer}/identifier`,
        );
      return hostAllowed(url.host, allowed) ? undefined : refuse(url.host, 'identifier');
    }
    default:
      return undefined;
  }
}
