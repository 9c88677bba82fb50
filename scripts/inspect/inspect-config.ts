/** The `inspect:` section of registry.config.yaml (pure), with the defaults docs/inspection.md gives. */
import { ConfigError, CONFIG_FILE } from '../config/registry-config.ts';
import type { RegistryConfig } from '../config/registry-config.ts';
import { isRecord } from '../core/is-record.ts';

export interface InspectConfig {
  /** Who to write to about our traffic: put in the User-Agent (default: the registry's baseUrl). */
  contact: string;
  /** A scheduled run leaves an endpoint alone this many days after its last check. */
  intervalDays: number;
  /** Consecutive failed checks (weeks, when scheduled weekly) before an endpoint is flagged not answering. */
  notAnsweringAfter: number;
  /** HTTP requests one run may make, across every host. */
  requestBudget: number;
  /** Endpoints inspected at once, on different hosts (one per host at a time, always). */
  concurrency: number;
  requestTimeoutMs: number;
  sessionTimeoutMs: number;
  /** Start stdio packages (npx, uvx, docker run). Off unless the registry opts in. */
  stdio: boolean;
  /** Heap limit for a Node package and memory limit for a container, in MiB. */
  stdioMemoryMb: number;
}

export const DEFAULT_INSPECT_CONFIG: InspectConfig = {
  contact: '',
  intervalDays: 7,
  notAnsweringAfter: 4,
  requestBudget: 2000,
  concurrency: 8,
  requestTimeoutMs: 10_000,
  sessionTimeoutMs: 30_000,
  stdio: false,
  stdioMemoryMb: 512,
};

const NUMBERS = ['intervalDays', 'notAnsweringAfter', 'requestBudget', 'concurrency', 'requestTimeoutMs', 'sessionTimeoutMs', 'stdioMemoryMb'] as const;

export function inspectConfig(config: RegistryConfig): InspectConfig {
  const raw = config.extra.inspect;
  const out: InspectConfig = { ...DEFAULT_INSPECT_CONFIG, contact: config.baseUrl };
  if (raw === undefined || raw === null) return out;
  if (!isRecord(raw)) throw new ConfigError(`${CONFIG_FILE}: 'inspect' must be a mapping`);
  for (const [key, value] of Object.entries(raw)) {
    if ((NUMBERS as readonly string[]).includes(key)) {
      if (typeof value !== 'number' || !Number.isInteger(value) || value < 1)
        throw new ConfigError(`${CONFIG_FILE}: 'inspect.${key}' must be a whole number of at least 1`);
      out[key as (typeof NUMBERS)[number]] = value;
    } else if (key === 'stdio') {
      if (typeof value !== 'boolean') throw new ConfigError(`${CONFIG_FILE}: 'inspect.stdio' must be true or false`);
      out.stdio = value;
    } else if (key === 'contact') {
      if (typeof value !== 'string' || value === '' || /[\r\n()]/.test(value))
        throw new ConfigError(`${CONFIG_FILE}: 'inspect.contact' must be a URL or mailto: on one line`);
      out.contact = value;
    } else {
      throw new ConfigError(`${CONFIG_FILE}: unknown key 'inspect.${key}'; expected contact, stdio or one of ${NUMBERS.join(', ')}`);
    }
  }
  return out;
}

/** `<name>-inspect/0.1 (+<contact>)`: names the registry and who to tell. */
export function inspectUserAgent(config: RegistryConfig, inspect: InspectConfig): string {
  const name = config.name.replace(/[^A-Za-z0-9._-]+/g, '-');
  return `${name}-inspect/0.1 (+${inspect.contact}; MCP registry inspection)`;
}
