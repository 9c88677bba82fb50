/**
 * Where each diagnostic code is documented, by its area (the part before the `/`). Each page has a
 * heading per code with a bad and a good example; test/cli/diagnostic-codes.test.ts holds every stage's
 * code list against this map and those pages.
 */
const PAGES = {
  'docs/rules.md': [
    'file',
    'encoding',
    'json',
    'schema',
    'repository',
    'name',
    'version',
    'title',
    'website',
    'icon',
    'package',
    'transport',
    'argument',
    'remote',
    'meta',
    'registry',
  ],
  'docs/verification.md': ['verify'],
  'docs/api.md': ['catalog', 'build'],
  'docs/subregistry.md': ['sync', 'state', 'overlay', 'approval'],
  'docs/import.md': ['import', 'entry', 'commit'],
  'docs/publishing.md': ['immutability', 'pr', 'lifecycle', 'publish'],
  'docs/inspection.md': ['inspect'],
  'docs/site.md': ['readme'],
} as const;

const PAGE_OF_AREA = new Map<string, string>(Object.entries(PAGES).flatMap(([page, areas]) => areas.map((area) => [area, page] as const)));

/** Every area a code may start with. */
export const CODE_AREAS: readonly string[] = [...PAGE_OF_AREA.keys()];

/** The page documenting `code` (repository-relative), or undefined for an area no page covers. */
export function codeDocsPage(code: string): string | undefined {
  const slash = code.indexOf('/');
  return slash < 0 ? undefined : PAGE_OF_AREA.get(code.slice(0, slash));
}
