/**
 * Text styles for human output. Colour comes from chalk, loaded only when it will be
 * used (a TTY, colour not disabled): piped runs, the common case in scripts, skip
 * its load time entirely.
 */

/** The styles renderers may use. */
export interface Style {
  bold(text: string): string;
  dim(text: string): string;
  red(text: string): string;
  green(text: string): string;
  yellow(text: string): string;
}

const identity = (text: string): string => text;

/** No colour, no emphasis. */
export const plainStyle: Style = { bold: identity, dim: identity, red: identity, green: identity, yellow: identity };

/** chalk at basic ANSI colours. */
export async function colorStyle(): Promise<Style> {
  const { Chalk } = await import('chalk');
  return new Chalk({ level: 1 });
}
