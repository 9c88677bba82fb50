/** The server name: `<reverse-DNS namespace>/<server>`. */
import { error, stringAt } from '../rule.ts';
import type { Finding, Rule } from '../rule.ts';

/** Letters from other scripts that pass for Latin ones; named in the message so the author sees the trap. */
const LOOK_ALIKES: Record<string, string> = {
  'а': 'a', 'е': 'e', 'о': 'o', 'р': 'p', 'с': 'c', 'у': 'y', 'х': 'x', 'і': 'i', 'ј': 'j', 'ѕ': 's', 'һ': 'h',
  'ԁ': 'd', 'ɡ': 'g', 'ο': 'o', 'α': 'a', 'ν': 'v', 'ι': 'i', 'ρ': 'p', 'τ': 't', 'κ': 'k', 'ı': 'i', 'ℓ': 'l',
  '‐': '-', '‑': '-', '–': '-', '．': '.', '／': '/',
};

const SIDE = /^[a-zA-Z0-9](?:[a-zA-Z0-9._-]*[a-zA-Z0-9])?$/;
const NAMESPACE_LABEL = /^[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?$/;

function describeChar(ch: string): string {
  const code = `U+${ch.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;
  const latin = LOOK_ALIKES[ch];
  return latin ? `'${ch}' (${code}, which looks like '${latin}' but is not)` : `'${ch}' (${code})`;
}

export function checkName(name: string): Finding[] {
  const nonAscii = [...name].find((ch) => ch.codePointAt(0)! > 0x7e || ch.codePointAt(0)! < 0x20);
  if (nonAscii !== undefined) {
    return [
      error(
        'name/non-ascii',
        '/name',
        `the name contains ${describeChar(nonAscii)}; names use only ASCII letters, digits, '.', '-', '_' and one '/'`,
      ),
    ];
  }
  const parts = name.split('/');
  if (parts.length !== 2) {
    return [error('name/format', '/name', `the name must have exactly one '/' between namespace and server (found ${parts.length - 1}), like io.github.user/weather`)];
  }
  const [namespace, server] = parts as [string, string];
  const out: Finding[] = [];
  for (const [label, side] of [['namespace', namespace], ['server name', server]] as const) {
    if (side.length < 2 || !SIDE.test(side)) {
      out.push(
        error(
          'name/format',
          '/name',
          `the ${label} '${side}' must be at least 2 characters of letters, digits, '.', '-' or '_', starting and ending with a letter or digit`,
        ),
      );
    }
  }
  if (out.length > 0) return out;
  const labels = namespace.split('.');
  if (labels.length < 2 || !labels.every((l) => NAMESPACE_LABEL.test(l))) {
    out.push(
      error(
        'name/namespace-format',
        '/name',
        `the namespace '${namespace}' must be reverse-DNS: dot-separated labels of letters, digits and '-', like io.github.<user> or com.example`,
      ),
    );
  }
  return out;
}

export const nameFormat: Rule = {
  codes: ['name/format', 'name/non-ascii', 'name/namespace-format'],
  check(doc) {
    const name = stringAt(doc, 'name');
    return name === undefined ? [] : checkName(name);
  },
};

export const blockedNamespace: Rule = {
  codes: ['name/blocked-namespace'],
  check(doc, { config }) {
    const name = stringAt(doc, 'name');
    if (name === undefined || !name.includes('/')) return [];
    const namespace = name.slice(0, name.indexOf('/')).toLowerCase();
    const blocked = config.blockedNamespaces.find((b) => namespace === b || namespace.startsWith(`${b}.`));
    return blocked === undefined
      ? []
      : [error('name/blocked-namespace', '/name', `the namespace '${blocked}' is blocked by this registry's policy; publish under a namespace you own`)];
  },
};
