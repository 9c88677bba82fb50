/** One verifier per registry type behind one small interface (like the official registries/*.go). */
import type { Endpoints } from '../../config/registry-config.ts';
import type { Package } from '../../core/api-types.ts';
import type { Diagnostic } from '../../core/diagnostics.ts';
import type { HttpClient } from '../../net/http-client.ts';

export interface PackageCheck {
  pkg: Package;
  serverName: string;
  /** JSON pointer of the package, e.g. `/packages/0`. */
  pointer: string;
}

export interface VerifierServices {
  http: HttpClient;
  endpoints: Endpoints;
  /** Download cap for MCPB files. */
  mcpbMaxBytes: number;
}

export interface PackageVerifier {
  registryType: string;
  /** Proves that the package version exists and names the server; [] when it does. */
  verify(check: PackageCheck, services: VerifierServices): Promise<Diagnostic[]>;
}

/** `mcp-name: <name>` in visible README text, followed by a boundary (PyPI, NuGet). */
export function readmeNamesServer(readme: string, serverName: string): boolean {
  const visible = readme.replace(/<!--[\s\S]*?-->/g, '');
  const escaped = serverName.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  return new RegExp(`mcp-name:[ \\t]*${escaped}(?![A-Za-z0-9._/-])`, 'i').test(visible);
}

export function parseJson(body: Buffer): unknown {
  try {
    return JSON.parse(body.toString('utf8'));
  } catch {
    return undefined;
  }
}
