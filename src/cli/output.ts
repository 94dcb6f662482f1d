/**
 * The one writer to stdout, and the one place that formats messages on stderr.
 *
 * Rules:
 * - stdout carries results only; prompts, notices, warnings and errors go to stderr.
 * - `--json`: one JSON document (the same result object the human view renders).
 * - `-q`: the bare value (a code, an id), one per line; nothing when there is none.
 * - Human, on a TTY: aligned key/value blocks and tables, colour unless disabled.
 * - Human, piped: one line per record, fields separated by tabs, no headers, no colour.
 */
import type { Writable } from 'node:stream';
import type { Style } from './style.js';

/** How a result is shown: the human view and, optionally, the bare value for `-q`. */
export interface Rendering<T> {
  human: (result: T, view: HumanView) => string;
  quiet?: (result: T) => string | string[] | undefined;
}

/** Formatting helpers handed to human renderers, aware of TTY and colour. */
export interface HumanView {
  readonly isTTY: boolean;
  readonly style: Style;
  /** A key/value block: aligned on a TTY, `key<TAB>value` lines when piped. */
  fields(pairs: ReadonlyArray<readonly [string, unknown]>): string;
  /** A table with a header on a TTY; tab-separated lines without header when piped. */
  table(headers: readonly string[], rows: ReadonlyArray<ReadonlyArray<unknown>>): string;
}

export interface OutputOptions {
  json: boolean;
  quiet: boolean;
  /** Colours and emphasis; `plainStyle` unless stdout is a TTY with colour enabled. */
  style: Style;
}

export class Output {
  readonly style: Style;
  private readonly view: HumanView;

  constructor(
    private readonly stdout: Writable & { isTTY?: boolean },
    private readonly stderr: Writable & { isTTY?: boolean },
    readonly options: OutputOptions,
  ) {
    this.style = options.style;
    this.view = humanView(stdout.isTTY === true, this.style);
  }

  /** Writes a command's result to stdout in the selected mode. */
  result<T>(result: T, rendering: Rendering<T>): void {
    if (this.options.json) {
      this.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
      return;
    }
    if (this.options.quiet) {
      const value = rendering.quiet?.(result);
      const lines = value === undefined ? [] : Array.isArray(value) ? value : [value];
      for (const line of lines) this.stdout.write(`${line}\n`);
      return;
    }
    const text = rendering.human(result, this.view);
    if (text.length > 0) this.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
  }

  /** One raw line of a streamed result (JSON Lines), written as is in every mode. */
  line(text: string): void {
    this.stdout.write(`${text}\n`);
  }

  /** The bytes of a file-like result (a PEM or DER certificate), written as they are in every mode. */
  raw(data: string | Uint8Array): void {
    this.stdout.write(data);
  }

  /** A notice on stderr (suppressed by `-q` and `--json`). */
  notice(message: string): void {
    if (!this.options.quiet && !this.options.json) this.stderr.write(`peridio: ${message}\n`);
  }

  /** A notice on stderr that `-q` and `--json` do not hide: something was created that the user must know of. */
  announce(message: string): void {
    this.stderr.write(`peridio: ${message}\n`);
  }

  /** A next-step hint on stderr (suppressed by `-q` and `--json`). */
  hint(message: string): void {
    if (!this.options.quiet && !this.options.json) this.stderr.write(`peridio: hint: ${message}\n`);
  }

  /** A warning on stderr: always shown, since it is about safety. */
  warn(message: string): void {
    this.stderr.write(`peridio: warning: ${message}\n`);
  }

  /** Raw progress text on stderr (callers only use it on a TTY). */
  progress(text: string): void {
    this.stderr.write(text);
  }
}

function humanView(isTTY: boolean, style: Style): HumanView {
  return {
    isTTY,
    style,
    fields(pairs) {
      if (!isTTY) return pairs.map(([k, v]) => `${k}\t${cell(v)}`).join('\n');
      const width = Math.max(...pairs.map(([k]) => k.length));
      return pairs.map(([k, v]) => `${style.bold(`${k}:`.padEnd(width + 1))} ${cell(v)}`).join('\n');
    },
    table(headers, rows) {
      if (!isTTY) return rows.map((row) => row.map(cell).join('\t')).join('\n');
      if (rows.length === 0) return style.dim('(none)');
      const text = rows.map((row) => row.map(cell));
      const widths = headers.map((h, i) => Math.max(h.length, ...text.map((row) => row[i]!.length)));
      const line = (cells: readonly string[]): string => cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]!))).join('  ');
      return [style.bold(line(headers)), ...text.map(line)].join('\n');
    },
  };
}

function cell(value: unknown): string {
  if (value === null || value === undefined) return '-';
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}
