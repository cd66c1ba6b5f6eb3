/** The report formats, in a module that loads nothing: `--help` lists them. */
export const FORMATS = ['table', 'json', 'junit', 'markdown', 'html'] as const;
export type Format = (typeof FORMATS)[number];
