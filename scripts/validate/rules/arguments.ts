/** Command-line arguments of a package: what a client needs to build the command. */
import { error, recordsAt, stringAt, warning } from '../rule.ts';
import type { Finding, Rule } from '../rule.ts';
import { templateVariables } from './url-template.ts';
import { isRecord } from '../../core/is-record.ts';

function checkArgument(arg: Record<string, unknown>, pointer: string): Finding[] {
  const out: Finding[] = [];
  const type = stringAt(arg, 'type');
  if (type === 'named') {
    const name = stringAt(arg, 'name');
    // As officially: an empty name, or one holding a space, '<', '>' or '$', carries a value or a description.
    if (name === undefined || name === '' || /[\s<>$]/.test(name)) {
      out.push(
        error(
          'argument/named-name',
          `${pointer}${name === undefined ? '' : '/name'}`,
          "a named argument needs a 'name' that is only the flag, like --port, without a value, placeholder or spaces",
        ),
      );
    } else {
      for (const field of ['value', 'default'] as const) {
        const given = stringAt(arg, field);
        if (given?.startsWith(name)) {
          out.push(
            error(
              'argument/value-repeats-name',
              `${pointer}/${field}`,
              `the ${field} '${given}' starts with the flag '${name}', so clients would pass '${name} ${given}'; give only what follows the flag`,
            ),
          );
        }
      }
    }
  } else if (type === 'positional' && stringAt(arg, 'value') === undefined && stringAt(arg, 'valueHint') === undefined) {
    // The official schema's PositionalArgument requires one of the two (anyOf value / valueHint).
    out.push(error('argument/positional-value', pointer, "a positional argument needs a 'value' or a 'valueHint' naming what the user supplies"));
  }
  const choices = Array.isArray(arg.choices) ? arg.choices : undefined;
  const fallback = stringAt(arg, 'default');
  if (choices && fallback !== undefined && !choices.includes(fallback)) {
    out.push(
      warning(
        'argument/default-not-in-choices',
        `${pointer}/default`,
        `the default '${fallback}' is not one of the choices; clients would offer a value they then reject`,
      ),
    );
  }
  const value = stringAt(arg, 'value');
  if (value !== undefined) {
    const declared = isRecord(arg.variables) ? arg.variables : {};
    for (const variable of templateVariables(value)) {
      if (!(variable in declared)) {
        out.push(
          warning(
            'argument/undefined-variable',
            `${pointer}/value`,
            `the value uses {${variable}}, which 'variables' does not declare; clients will pass it through unchanged`,
          ),
        );
      }
    }
  }
  return out;
}

export const argumentRules = {
  codes: [
    'argument/named-name',
    'argument/value-repeats-name',
    'argument/positional-value',
    'argument/default-not-in-choices',
    'argument/undefined-variable',
  ] as const,
  check(doc): Finding[] {
    const out: Finding[] = [];
    recordsAt(doc, 'packages').forEach((pkg, i) => {
      for (const list of ['runtimeArguments', 'packageArguments']) {
        for (const [j, arg] of recordsAt(pkg, list).entries()) out.push(...checkArgument(arg, `/packages/${i}/${list}/${j}`));
      }
    });
    return out;
  },
} satisfies Rule;
