/** Command-line flags, parsed with node:util's parseArgs; unknown flags are usage errors. */
import { parseArgs } from 'node:util';
import type { ParseArgsConfig } from 'node:util';
import { usageError } from '../core/errors.ts';
import { OUTPUT_FORMATS } from '../validate/render.ts';
import type { OutputFormat } from '../validate/render.ts';

export type OptionSpec = NonNullable<ParseArgsConfig['options']>;

export function parseFlags<T extends OptionSpec>(argv: string[], options: T) {
  try {
    return parseArgs({ args: argv, options, allowPositionals: true, strict: true });
  } catch (error) {
    throw usageError(`${(error as Error).message.replace(/\. To specify a positional argument.*$/s, '')}; see --help`);
  }
}

export function outputFormat(value: string | undefined): OutputFormat {
  const format = (value ?? 'text') as OutputFormat;
  if (!OUTPUT_FORMATS.includes(format)) throw usageError(`--format must be one of ${OUTPUT_FORMATS.join(', ')}; got '${value}'`);
  return format;
}
