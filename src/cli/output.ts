/**
 * The one writer to stdout, and the one place that formats messages on stderr.
 *
 * Rules:
 * - stdout carries results only; prompts, notices, warnings and errors go to stderr.
 * - `--json`: one JSON document (the same result object the human view renders),
 *   filtered by `--query` when given.
 * - `-q`: the bare value (a code, an id), one per line; nothing when there is none.
 * - Human, on a TTY: aligned key/value blocks and tables, colour unless disabled.
 * - Human, piped: one line per record, fields separated by tabs, no headers, no colour.
 * - Every human line and message shows control and bidi characters as visible escapes
 *   (see terminal-text.ts); JSON keeps values exact.
 * - Messages name the command as it was invoked: commands write `{command}` (COMMAND)
 *   and this writer fills in the program name; an error's `next` step is worded here
 *   (next-steps.ts) with that name too.
 */
import type { Writable } from 'node:stream';
import type { VericodeError } from '../core/errors.js';
import { hintText } from './next-steps.js';
import type { JsonQuery } from './query.js';
import type { Style } from './style.js';
import { displayWidth, escapeText, escapeValue, inertJson } from './terminal-text.js';

/** How a result is shown: the human view and, optionally, the bare value for `-q`. */
export interface Rendering<T> {
  human: (result: T, view: HumanView) => string;
  quiet?: (result: T) => string | string[] | undefined;
}

/** Formatting helpers handed to human renderers, aware of TTY and colour. */
export interface HumanView {
  readonly isTTY: boolean;
  /** Styles whose input is escaped first, so a styled value is as safe as a plain one. */
  readonly style: Style;
  /** A key/value block: aligned on a TTY, `key<TAB>value` lines when piped. */
  fields(pairs: ReadonlyArray<readonly [string, unknown]>): string;
  /** A table with a header on a TTY; tab-separated lines without header when piped. */
  table(headers: readonly string[], rows: ReadonlyArray<ReadonlyArray<unknown>>): string;
  /**
   * A PRN for a table cell: on a TTY its short id (8 hex digits of its last UUID, as
   * git shortens hashes; see `shortId`), so a row fits 80 columns; piped, the full PRN, so
   * scripts can pass it on. `get`, `-q` and `--json` always give the full PRN.
   */
  id(prn: string | null): string | null;
}

export interface OutputOptions {
  json: boolean;
  quiet: boolean;
  /** Colours and emphasis; `plainStyle` unless stdout is a TTY with colour enabled. */
  style: Style;
  /** True when `style` adds escape sequences (colour on a TTY). */
  colored?: boolean;
  /** The command as invoked (`peridio`, `vericode`), for message prefixes and hints. */
  programName: string;
  /** `--query`, compiled before the command ran. */
  query?: JsonQuery;
}

/**
 * Stands for the command in the CLI's own hints and messages (`see {command} --help`):
 * written as the user invoked it (`peridio`, `vericode`) when printed.
 */
export const COMMAND = '{command}';

/** What the CLI needs of stdout: a stream, or a plain writer of file descriptor 1 (./direct-stdout.ts). */
export interface ResultStream {
  write(data: string | Uint8Array): unknown;
  isTTY?: boolean;
  columns?: number;
}

export class Output {
  readonly style: Style;
  private readonly view: HumanView;

  constructor(
    private readonly stdout: ResultStream,
    /** Only written to: the CLI passes one that makes process.stderr on the first message. */
    private readonly stderr: Pick<Writable, 'write'>,
    readonly options: OutputOptions,
  ) {
    this.style = options.style;
    this.view = humanView(stdout.isTTY === true, this.style, (stdout as { columns?: number }).columns ?? 80);
  }

  /** Writes a command's result to stdout in the selected mode. */
  result<T>(result: T, rendering: Rendering<T>): void {
    const { query } = this.options;
    if (query) {
      const value = query.apply(result);
      const lines = this.options.quiet ? bareLines(value) : [jsonText(value)];
      for (const line of lines) this.stdout.write(`${line}\n`);
      return;
    }
    if (this.options.json) {
      this.stdout.write(`${jsonText(result)}\n`);
      return;
    }
    if (this.options.quiet) {
      const value = rendering.quiet?.(result);
      const lines = value === undefined ? [] : Array.isArray(value) ? value : [value];
      for (const line of lines) this.stdout.write(`${escapeValue(line)}\n`);
      return;
    }
    const text = escapeText(rendering.human(result, this.view), this.options.colored === true);
    if (text.length > 0) this.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
  }

  /** One line of a streamed JSON result (JSON Lines) in every mode; C1 and bidi characters as `\u` escapes (the same values). */
  line(text: string): void {
    this.stdout.write(`${inertJson(text)}\n`);
  }

  /** The bytes of a file-like result (a PEM or DER certificate), written as they are in every mode. */
  raw(data: string | Uint8Array): void {
    this.stdout.write(data);
  }

  /** A notice on stderr (suppressed by `-q` and `--json`). */
  notice(message: string): void {
    if (!this.options.quiet && !this.options.json) this.message('', message);
  }

  /** A notice on stderr that `-q` and `--json` do not hide: something was created that the user must know of. */
  announce(message: string): void {
    this.message('', message);
  }

  /** A next-step hint on stderr (suppressed by `-q` and `--json`). */
  hint(message: string): void {
    if (!this.options.quiet && !this.options.json) this.message('hint: ', message);
  }

  /** A warning on stderr: always shown, since it is about safety. */
  warn(message: string): void {
    this.message('warning: ', message);
  }

  /** Raw progress text on stderr (callers only use it on a TTY, with text they made). */
  progress(text: string): void {
    this.stderr.write(text);
  }

  private message(kind: string, text: string): void {
    this.stderr.write(messageLine(this.options.programName, kind, text));
  }
}

/** Writes a failure on stderr: `NAME: error: …` and `NAME: hint: …`, or `{"error": …}` with `json`. */
export function writeFailure(stderr: Writable, failure: VericodeError, options: { json: boolean; programName: string }): void {
  const text = hintText(failure, options.programName);
  const hint = text === undefined ? null : fillCommand(text, options.programName);
  if (options.json) {
    stderr.write(`${jsonText({ error: { code: failure.code, message: fillCommand(failure.message, options.programName), hint } }, false)}\n`);
    return;
  }
  stderr.write(messageLine(options.programName, 'error: ', failure.message));
  if (hint !== null) stderr.write(messageLine(options.programName, 'hint: ', hint));
}

/** `text` with the `{command}` placeholder replaced by the program name. */
function fillCommand(text: string, programName: string): string {
  return text.replaceAll(COMMAND, programName);
}

function messageLine(programName: string, kind: string, text: string): string {
  return `${programName}: ${kind}${escapeText(fillCommand(text, programName))}\n`;
}

function jsonText(value: unknown, pretty = true): string {
  return inertJson(JSON.stringify(value, null, pretty ? 2 : undefined) ?? 'null');
}

/** `-q --query`: a string bare, a list of scalars one per line, anything else as JSON. */
function bareLines(value: unknown): string[] {
  const bare = (v: unknown): string => (typeof v === 'string' ? escapeValue(v) : jsonText(v, false));
  if (Array.isArray(value) && value.every((v) => v === null || typeof v !== 'object')) return value.map(bare);
  return [bare(value)];
}

/**
 * Styles whose input is escaped first. Their results are remembered, so that `cell`
 * keeps exactly those (their only escape sequences are our own) and escapes the rest.
 */
function escapingStyle(style: Style, styled: Set<string>): Style {
  const wrap =
    (apply: (text: string) => string) =>
    (text: string): string => {
      const result = apply(escapeValue(text));
      styled.add(result);
      return result;
    };
  return { bold: wrap(style.bold), dim: wrap(style.dim), red: wrap(style.red), green: wrap(style.green), yellow: wrap(style.yellow) };
}

/**
 * 8 hex digits of the last UUID in `prn`: its first 8, or its last 8 for a version 7
 * UUID (codes), whose first digits are its time and so shared by every code issued in
 * the same minute; `prn` itself when it holds none.
 */
function shortId(prn: string): string {
  const uuids = prn.match(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi);
  if (!uuids) return prn;
  const uuid = uuids[uuids.length - 1]!;
  return uuid[14] === '7' ? uuid.slice(-8) : uuid.slice(0, 8);
}

/** Narrowest a column is cut to when a table is too wide for the terminal. */
const MIN_COLUMN = 8;

function humanView(isTTY: boolean, baseStyle: Style, columns: number): HumanView {
  const styled = new Set<string>();
  const style = escapingStyle(baseStyle, styled);
  /** A value as one cell: control characters escaped, so a cell stays on its line and in its column. */
  const cell = (value: unknown): string => {
    if (value === null || value === undefined) return '-';
    if (typeof value === 'string') return styled.has(value) ? value : escapeValue(value);
    return escapeValue(typeof value === 'object' ? JSON.stringify(value) : String(value));
  };
  return {
    isTTY,
    style,
    id: (prn) => (isTTY && prn !== null ? shortId(prn) : prn),
    fields(pairs) {
      if (!isTTY) return pairs.map(([k, v]) => `${k}\t${cell(v)}`).join('\n');
      const width = Math.max(...pairs.map(([k]) => k.length));
      return pairs.map(([k, v]) => `${style.bold(`${k}:`.padEnd(width + 1))} ${cell(v)}`).join('\n');
    },
    table(headers, rows) {
      if (!isTTY) return rows.map((row) => row.map(cell).join('\t')).join('\n');
      if (rows.length === 0) return style.dim('(none)');
      const text = rows.map((row) => row.map(cell));
      const widths = fitColumns(
        headers.map((h, i) => Math.max(h.length, ...text.map((row) => displayWidth(row[i]!)))),
        columns,
      );
      const fit = (c: string, i: number): string => {
        const width = displayWidth(c);
        if (width > widths[i]! && !styled.has(c)) return `${[...c].slice(0, widths[i]! - 1).join('')}…`;
        return i === headers.length - 1 ? c : c + ' '.repeat(Math.max(0, widths[i]! - width));
      };
      const line = (cells: readonly string[]): string => cells.map(fit).join('  ');
      return [style.bold(line(headers)), ...text.map(line)].join('\n');
    },
  };
}

/**
 * Column widths that fit `columns` with two spaces between columns: the widest column
 * is narrowed first, none below MIN_COLUMN (so a very narrow terminal still wraps).
 */
function fitColumns(widths: number[], columns: number): number[] {
  const fitted = [...widths];
  const total = (): number => fitted.reduce((sum, w) => sum + w, 0) + 2 * (fitted.length - 1);
  while (total() > columns) {
    const widest = fitted.indexOf(Math.max(...fitted));
    if (fitted[widest]! <= MIN_COLUMN) break;
    fitted[widest] = Math.max(MIN_COLUMN, fitted[widest]! - (total() - columns));
  }
  return fitted;
}
