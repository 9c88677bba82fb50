/** The verifiers by registry type; adding an ecosystem is adding one file and one entry here. */
import { cargoVerifier } from './cargo.ts';
import { mcpbVerifier } from './mcpb.ts';
import { npmVerifier } from './npm.ts';
import { nugetVerifier } from './nuget.ts';
import { ociVerifier } from './oci.ts';
import type { PackageVerifier } from './package-verifier.ts';
import { pypiVerifier } from './pypi.ts';

export const packageVerifiers: Readonly<Record<string, PackageVerifier>> = {
  npm: npmVerifier,
  pypi: pypiVerifier,
  nuget: nugetVerifier,
  cargo: cargoVerifier,
  oci: ociVerifier,
  mcpb: mcpbVerifier,
};
