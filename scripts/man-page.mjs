#!/usr/bin/env node
// vericode.1, the man page, made from the command's own --help text: the root's help,
// then every command's, found by walking the "Commands:" sections, so the page says
// exactly what --help says. Run by the release build (scripts/release.mjs) against the
// executable it ships; by hand: node scripts/man-page.mjs [COMMAND] > vericode.1
// (COMMAND defaults to the npm build, bin/peridio.js).
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ROOT } from './node24.mjs';

/** The --help text of `peridio WORDS`, as a pipe gets it (80 columns, no colour). */
function help(command, words) {
  const argv = command.endsWith('.js') ? [process.execPath, command] : [command];
  return execFileSync(argv[0], [...argv.slice(1), ...words, '--help'], {
    encoding: 'utf8',
    env: { PATH: process.env.PATH, HOME: '/nonexistent', NO_COLOR: '1' },
  });
}

/** The sections of a help text, by heading ("Commands", "Global Options", …). */
function sections(text) {
  const result = new Map();
  let heading = '';
  for (const line of text.split('\n')) {
    const match = /^([A-Z][A-Za-z ]*):$/.exec(line);
    if (match) heading = match[1];
    else result.set(heading, [...(result.get(heading) ?? []), line]);
  }
  return result;
}

/** The names of the commands a help text lists (aliases and arguments dropped). */
function subcommands(text) {
  return (sections(text).get('Commands') ?? [])
    .map((line) => /^ {2}([a-z0-9][a-z0-9-]*)/.exec(line)?.[1])
    .filter((name) => name !== undefined && name !== 'help');
}

/** Every command path under the root, depth first, with its help text. */
function commandHelps(command) {
  const pages = [];
  const visit = (words) => {
    const text = help(command, words);
    pages.push({ words, text });
    for (const name of subcommands(text)) visit([...words, name]);
  };
  visit([]);
  return pages;
}

/** Text for a roff no-fill block: backslashes and leading dots or quotes escaped. */
function roffLiteral(text) {
  return text
    .split('\n')
    .map((line) => line.replaceAll('\\', '\\e').replace(/^([.'])/, '\\&$1'))
    .join('\n');
}

/** A subcommand's help without the global options, which the root's section lists once. */
function withoutGlobalOptions(text) {
  const lines = text.split('\n');
  const start = lines.indexOf('Global Options:');
  if (start < 0) return text;
  let end = start + 1;
  while (end < lines.length && !/^[A-Z][A-Za-z ]*:$/.test(lines[end])) end += 1;
  return [...lines.slice(0, start), ...lines.slice(end)].join('\n');
}

/** The man page (roff) of `command`, dated by `epoch` (seconds) for reproducible builds. */
export function manPage(command, version, epoch) {
  const date = new Date(Number(epoch) * 1000).toISOString().slice(0, 10);
  const [root, ...rest] = commandHelps(command);
  const description = (sections(root.text).get('') ?? []).slice(1).join(' ').replace(/\s+/g, ' ').trim();
  const out = [
    `.TH VERICODE 1 "${date}" "vericode ${version}" "User Commands"`,
    '.SH NAME',
    `vericode, peridio \\- ${roffLiteral(description.replace(/\.$/, ''))}`,
    '.SH SYNOPSIS',
    '.B peridio',
    '[\\fIoptions\\fR] \\fIcommand\\fR ...',
    '.br',
    '.B vericode',
    '[\\fIoptions\\fR] \\fIcommand\\fR ...',
    '.SH DESCRIPTION',
    '.nf',
    roffLiteral(root.text.trimEnd()),
    '.fi',
    '.SH COMMANDS',
  ];
  for (const page of rest) {
    out.push(`.SS "peridio ${page.words.join(' ')}"`, '.nf', roffLiteral(withoutGlobalOptions(page.text).trimEnd()), '.fi');
  }
  out.push('.SH SEE ALSO', 'openssl(1), the README.md shipped beside this page', '');
  return out.join('\n');
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { version } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
  const command = process.argv[2] ?? join(ROOT, 'bin', 'peridio.js');
  process.stdout.write(manPage(command, version, process.env.SOURCE_DATE_EPOCH ?? Math.floor(Date.now() / 1000)));
}
