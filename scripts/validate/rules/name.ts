/** The server name: `<reverse-DNS namespace>/<server>`. */
import { error, stringAt, strictError } from '../rule.ts';
import type { Finding, Rule } from '../rule.ts';

/** Letters from other scripts that pass for Latin ones; named in the message so the author sees the trap. */
const LOOK_ALIKES: Record<string, string> = {
  а: 'a',
  е: 'e',
  о: 'o',
  р: 'p',
  с: 'c',
  у: 'y',
  х: 'x',
  і: 'i',
  ј: 'j',
  ѕ: 's',
  һ: 'h',
  ԁ: 'd',
  ɡ: 'g',
  ο: 'o',
  α: 'a',
  ν: 'v',
  ι: 'i',
  ρ: 'p',
  τ: 't',
  κ: 'k',
  ı: 'i',
  ℓ: 'l',
  '‐': '-',
  '‑': '-',
  '–': '-',
  '．': '.',
  '／': '/',
};

/** As the official registry checks them: the namespace has letters, digits, '.' and '-'; the server name also '_'. */
const NAMESPACE = /^[a-zA-Z0-9](?:[a-zA-Z0-9.-]*[a-zA-Z0-9])?$/;
const SERVER = /^[a-zA-Z0-9](?:[a-zA-Z0-9._-]*[a-zA-Z0-9])?$/;
/** Ours: each dot-separated label of the namespace is a DNS label. */
const NAMESPACE_LABEL = /^[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?$/;

function describeChar(ch: string): string {
  const code = `U+${(ch.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}`;
  const latin = LOOK_ALIKES[ch];
  return latin ? `'${ch}' (${code}, which looks like '${latin}' but is not)` : `'${ch}' (${code})`;
}

export function checkName(name: string): Finding[] {
  const nonAscii = [...name].find((ch) => !/^[\x20-\x7e]$/.test(ch));
  if (nonAscii !== undefined) {
    return [error('name/non-ascii', '/name', `the name contains ${describeChar(nonAscii)}; names use only ASCII letters, digits, '.', '-', '_' and one '/'`)];
  }
  const parts = name.split('/');
  if (parts.length !== 2) {
    return [
      error('name/format', '/name', `the name must have exactly one '/' between namespace and server (found ${parts.length - 1}), like io.github.user/weather`),
    ];
  }
  const [namespace, server] = parts as [string, string];
  const out: Finding[] = [];
  const sides = [
    ['namespace', namespace, NAMESPACE, "letters, digits, '.' or '-'"],
    ['server name', server, SERVER, "letters, digits, '.', '-' or '_'"],
  ] as const;
  for (const [label, side, pattern, allowed] of sides) {
    if (side.length < 2 || !pattern.test(side)) {
      out.push(error('name/format', '/name', `the ${label} '${side}' must be at least 2 characters of ${allowed}, starting and ending with a letter or digit`));
    }
  }
  if (out.length > 0) return out;
  // A single label (`example/weather`) is valid, officially and here; empty or hyphen-edged labels are ours to refuse.
  if (!namespace.split('.').every((l) => NAMESPACE_LABEL.test(l))) {
    out.push(
      strictError(
        'name/namespace-format',
        '/name',
        `the namespace '${namespace}' must be reverse-DNS: dot-separated labels of letters, digits and '-', each starting and ending with a letter or digit, like io.github.<user> or com.example`,
      ),
    );
  }
  return out;
}

export const nameFormat = {
  codes: ['name/format', 'name/non-ascii', 'name/namespace-format'] as const,
  check(doc): Finding[] {
    const name = stringAt(doc, 'name');
    return name === undefined ? [] : checkName(name);
  },
} satisfies Rule;

export const blockedNamespace = {
  codes: ['name/blocked-namespace'] as const,
  check(doc, { config }): Finding[] {
    const name = stringAt(doc, 'name');
    if (name === undefined || !name.includes('/')) return [];
    const namespace = name.slice(0, name.indexOf('/')).toLowerCase();
    const blocked = config.blockedNamespaces.find((b) => namespace === b || namespace.startsWith(`${b}.`));
    return blocked === undefined
      ? []
      : [error('name/blocked-namespace', '/name', `the namespace '${blocked}' is blocked by this registry's policy; publish under a namespace you own`)];
  },
} satisfies Rule;
