/** A package's transport: stdio has no URL; HTTP transports need one whose `{variables}` the package defines. */
import { error, recordsAt, stringAt } from '../rule.ts';
import type { Finding, Rule } from '../rule.ts';
import { isHttpUrlTemplate, templateVariables } from './url-template.ts';
import { isRecord } from '../../core/is-record.ts';

/** Names a package defines for URL substitution: argument valueHints and names, environment variable names. */
function definedNames(pkg: Record<string, unknown>): Set<string> {
  const names = new Set<string>();
  for (const key of ['runtimeArguments', 'packageArguments']) {
    for (const arg of recordsAt(pkg, key)) {
      const hint = stringAt(arg, 'valueHint');
      const name = stringAt(arg, 'name');
      if (hint) names.add(hint);
      if (name) names.add(name.replace(/^-+/, ''));
    }
  }
  for (const env of recordsAt(pkg, 'environmentVariables')) {
    const name = stringAt(env, 'name');
    if (name) names.add(name);
  }
  return names;
}

export const transportRules = {
  codes: ['transport/stdio-url', 'transport/url-required', 'transport/url-invalid', 'transport/undefined-variable'] as const,
  check(doc): Finding[] {
    const out: Finding[] = [];
    recordsAt(doc, 'packages').forEach((pkg, i) => {
      const transport = pkg.transport;
      if (!isRecord(transport)) return;
      const base = `/packages/${i}/transport`;
      const type = stringAt(transport, 'type');
      const url = stringAt(transport, 'url');
      if (type === 'stdio' && transport.url !== undefined) {
        out.push(
          error('transport/stdio-url', `${base}/url`, "a stdio transport runs the package locally and takes no 'url'; remove it or use streamable-http"),
        );
      }
      if ((type === 'streamable-http' || type === 'sse') && (url === undefined || url === '')) {
        out.push(error('transport/url-required', base, `a ${type} transport needs a 'url' that clients connect to, like http://localhost:{port}/mcp`));
      }
      if (url && type !== 'stdio' && !isHttpUrlTemplate(url)) {
        out.push(
          error(
            'transport/url-invalid',
            `${base}/url`,
            `'${url}' is not an http(s) URL with a host; write it like http://localhost:{port}/mcp (a template may start with {scheme}:// or {protocol}://)`,
          ),
        );
      } else if (url && type !== 'stdio') {
        const defined = definedNames(pkg);
        for (const variable of templateVariables(url)) {
          if (!defined.has(variable)) {
            out.push(
              error(
                'transport/undefined-variable',
                `${base}/url`,
                `the URL uses {${variable}}, which no argument (valueHint or name) or environment variable of this package defines; define it or remove it from the URL`,
              ),
            );
          }
        }
      }
    });
    return out;
  },
} satisfies Rule;
