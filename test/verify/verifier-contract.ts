/**
 * The contract every package verifier keeps, whatever its ecosystem: it accepts a package that
 * names the server, refuses one that names another (or, for MCPB, whose bytes are another file's),
 * reports a missing version and a missing package as `verify/package-version-missing`, and turns
 * a dead service into one `verify/service-unreachable` naming the URL, without throwing.
 * Each ecosystem runs it against a real server on 127.0.0.1 (verifier-contract.test.ts).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_ENDPOINTS } from '../../scripts/config/registry-config.ts';
import type { Endpoints } from '../../scripts/config/registry-config.ts';
import type { Package } from '../../scripts/core/api-types.ts';
import { createHttpClient } from '../../scripts/net/http-client.ts';
import type { PackageVerifier, VerifierServices } from '../../scripts/verify/packages/package-verifier.ts';

export const SERVER_NAME = 'io.github.acme/weather';
export const OTHER_SERVER = 'io.github.someone/else';

export type SamplePackage = Omit<Package, 'transport' | 'registryType'>;

export interface StartedEcosystem {
  services: VerifierServices;
  close(): Promise<void>;
}

export interface EcosystemUnderTest {
  verifier: PackageVerifier;
  /** False when the system server it needs is missing (test/helpers/system-server.ts said so). */
  canRun?: boolean;
  /** Starts the ecosystem's server with the packages below published. */
  start(): Promise<StartedEcosystem>;
  accepted: SamplePackage;
  /** A package that exists but names another server, and the code that says so. */
  namesAnotherServer: { pkg: SamplePackage; code: string };
  versionMissing: SamplePackage;
  packageMissing: SamplePackage;
}

/** Nothing listens on the discard port. */
const DEAD = 'http://127.0.0.1:9';
const DEAD_ENDPOINTS: Partial<Endpoints> = { npm: DEAD, pypi: DEAD, nuget: `${DEAD}/v3/index.json`, cargo: DEAD, oci: DEAD, http: DEAD };

/** Every registry type the contract has run for in this file, so a test can hold it against the verifiers there are. */
export const contractTypes: string[] = [];

export function verifierContract(subject: EcosystemUnderTest): void {
  const { verifier } = subject;
  contractTypes.push(verifier.registryType);
  describe.skipIf(subject.canRun === false)(`${verifier.registryType} verifier contract`, () => {
    let started: StartedEcosystem | undefined;

    beforeAll(async () => {
      started = await subject.start();
    }, 60_000);

    afterAll(async () => {
      await started?.close();
    });

    async function codes(pkg: SamplePackage, services: VerifierServices): Promise<string[]> {
      const found = await verifier.verify(
        { pkg: { registryType: verifier.registryType, transport: { type: 'stdio' }, ...pkg }, serverName: SERVER_NAME, pointer: '/packages/0' },
        services,
      );
      return found.map((d) => d.code);
    }

    it('accepts a package that names the server', async () => {
      expect(await codes(subject.accepted, started!.services)).toEqual([]);
    });

    it('refuses a package that names another server', async () => {
      expect(await codes(subject.namesAnotherServer.pkg, started!.services)).toEqual([subject.namesAnotherServer.code]);
    });

    it('reports a version that was never published', async () => {
      expect(await codes(subject.versionMissing, started!.services)).toEqual(['verify/package-version-missing']);
    });

    it('reports a package that does not exist', async () => {
      expect(await codes(subject.packageMissing, started!.services)).toEqual(['verify/package-version-missing']);
    });

    it('reports an unreachable service once, naming the URL, without throwing', async () => {
      const http = createHttpClient({ trustedOrigins: [DEAD], retries: 1, backoffMs: 1, timeoutMs: 1000 });
      try {
        const services: VerifierServices = {
          ...started!.services,
          http,
          endpoints: { ...DEFAULT_ENDPOINTS, ...started!.services.endpoints, ...DEAD_ENDPOINTS },
        };
        const found = await verifier.verify(
          { pkg: { registryType: verifier.registryType, transport: { type: 'stdio' }, ...subject.accepted }, serverName: SERVER_NAME, pointer: '/packages/0' },
          services,
        );
        expect(found.map((d) => d.code)).toEqual(['verify/service-unreachable']);
        expect(found[0]!.message).toContain('127.0.0.1:9');
        expect(found[0]!.pointer.startsWith('/packages/0')).toBe(true);
      } finally {
        await http.close();
      }
    });
  });
}
