/** Hosts that only make sense on the author's own machine or network. */
import { isIP } from 'node:net';

function ipv4Private(ip: string): boolean {
  const [a, b] = ip.split('.').map(Number) as [number, number];
  return (
    a === 0 ||
    a === 10 ||
    a === 127 ||
    (a === 169 && b === 254) ||
    (a === 172 && b >= 16 && b <= 31) ||
    (a === 192 && b === 168) ||
    (a === 100 && b >= 64 && b <= 127) ||
    (a >= 224 && a <= 239) || // multicast
    ip === '255.255.255.255'
  );
}

function ipv6Private(ip: string): boolean {
  const lower = ip.toLowerCase();
  if (lower === '::1' || lower === '::') return true;
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(lower)?.[1];
  if (mapped !== undefined) return ipv4Private(mapped);
  // URL parsing rewrites [::ffff:127.0.0.1] as [::ffff:7f00:1].
  const [, hiHex, loHex] = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(lower) ?? [];
  if (hiHex !== undefined && loHex !== undefined) {
    const [hi, lo] = [parseInt(hiHex, 16), parseInt(loHex, 16)];
    return ipv4Private(`${hi >> 8}.${hi & 255}.${lo >> 8}.${lo & 255}`);
  }
  return /^f[cd][0-9a-f]{2}:/.test(lower) || /^fe[89ab][0-9a-f]:/.test(lower) || /^ff[0-9a-f]{2}:/.test(lower);
}

/**
 * True for what the official registry refuses as a remote host: localhost and `.localhost` names (any case,
 * with or without the root dot) and every address that is not public unicast: loopback, unspecified,
 * private, link-local, carrier-grade NAT, unique-local, multicast and broadcast (IPv4-mapped IPv6 included).
 */
export function isNonPublicHost(hostname: string): boolean {
  const host = hostname.toLowerCase().replace(/\.$/, '');
  if (host === 'localhost' || host.endsWith('.localhost')) return true;
  const kind = isIP(host);
  if (kind === 4) return ipv4Private(host);
  if (kind === 6) return ipv6Private(host);
  return false;
}

/** `isNonPublicHost`, plus names that only resolve on a local network (`.local`, `.internal`): ours to refuse. */
export function isLocalHost(hostname: string): boolean {
  const host = hostname.toLowerCase().replace(/\.$/, '');
  return isNonPublicHost(host) || host.endsWith('.local') || host.endsWith('.internal');
}
