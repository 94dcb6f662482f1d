/**
 * Choosing the organization as Peridio CLI users do: `--organization-name NAME` (env
 * PERIDIO_ORGANIZATION_NAME), `--org NAME|PRN`; and the cloud options this offline
 * tool refuses with a clear error.
 */
import { describe, expect, it } from 'vitest';
import { seededRandom } from '../helpers/random.js';
import { cliHome, runCli, type CliHome } from '../helpers/run-cli.js';

/** A home with the default organization and `names` created after it; returns every PRN by creation order. */
async function homeWithOrgs(names: string[]): Promise<CliHome & { prns: string[] }> {
  const h = cliHome();
  const prns = [(await runCli(['organizations', 'list', '-q'], { env: h.env })).stdout.trim()];
  for (const [i, name] of names.entries()) {
    const run = await runCli(['organizations', 'create', '--name', name, '-q'], { env: h.env, random: seededRandom(`org-${i}`) });
    expect(run.exitCode, run.stderr).toBe(0);
    prns.push(run.stdout.trim());
  }
  return { ...h, prns };
}

let runs = 0;

/** The organization a code issued with `args` lands in. */
async function codeOrg(h: CliHome, args: string[], env: Record<string, string> = {}): Promise<string> {
  const run = await runCli([...args, 'verification-codes', 'create', '--json'], { env: { ...h.env, ...env }, random: seededRandom(`code-${(runs += 1)}`) });
  expect(run.exitCode, run.stderr).toBe(0);
  return (JSON.parse(run.stdout) as { organization_id: string }).organization_id;
}

describe('selecting an organization by name', () => {
  it('takes --organization-name, --org NAME, --org PRN and PERIDIO_ORGANIZATION_NAME', async () => {
    const h = await homeWithOrgs(['acme', 'globex']);
    expect(await codeOrg(h, ['--organization-name', 'acme'])).toBe(h.prns[1]);
    expect(await codeOrg(h, ['--org', 'globex'])).toBe(h.prns[2]);
    expect(await codeOrg(h, ['--org', h.prns[2]!])).toBe(h.prns[2]);
    expect(await codeOrg(h, [], { PERIDIO_ORGANIZATION_NAME: 'acme' })).toBe(h.prns[1]);
    expect(await codeOrg(h, [])).toBe(h.prns[0]);
  });

  it('lets flags win over the environment, and VERICODE_ORG over PERIDIO_ORGANIZATION_NAME', async () => {
    const h = await homeWithOrgs(['acme', 'globex']);
    expect(await codeOrg(h, ['--organization-name', 'globex'], { VERICODE_ORG: h.prns[1]!, PERIDIO_ORGANIZATION_NAME: 'acme' })).toBe(h.prns[2]);
    expect(await codeOrg(h, [], { VERICODE_ORG: 'globex', PERIDIO_ORGANIZATION_NAME: 'acme' })).toBe(h.prns[2]);
  });

  it('says clearly when a name matches none (exit 4) or several (exit 2), and refuses both flags', async () => {
    const h = await homeWithOrgs(['acme', 'acme']);
    expect(await runCli(['--organization-name', 'initech', 'ca-certificates', 'list'], { env: h.env })).toEqual({
      stdout: '',
      stderr: 'peridio: error: no organization is named "initech"\nperidio: hint: see peridio organizations list\n',
      exitCode: 4,
    });
    expect(await runCli(['ca-certificates', 'list', '--org', 'acme'], { env: h.env })).toEqual({
      stdout: '',
      // Listed as `organizations list` orders them: by creation time, then id.
      stderr: `peridio: error: 2 organizations are named "acme": ${[h.prns[1]!, h.prns[2]!].sort().join(', ')}\nperidio: hint: choose one by its PRN with --org PRN\n`,
      exitCode: 2,
    });
    expect((await runCli(['ca-certificates', 'list'], { env: { ...h.env, PERIDIO_ORGANIZATION_NAME: 'acme' } })).exitCode).toBe(2);
    const both = await runCli(['ca-certificates', 'list', '--org', h.prns[1]!, '--organization-name', 'acme'], { env: h.env });
    expect([both.exitCode, both.stderr.split('\n')[0]]).toEqual([
      2,
      "peridio: error: option '--organization-name <name>' cannot be used with option '--org <prn|name>'",
    ]);
    expect((await runCli(['ca-certificates', 'list', '--org', 'prn:1:not-a-uuid'], { env: h.env })).exitCode).toBe(2);
  });
});

describe('the Peridio cloud options', () => {
  it.each([
    ['--api-key', 'k3y'],
    ['--base-url', 'https://api.peridio.com'],
    ['--profile', 'prod'],
  ])('refuses %s with a clear error, exit 2, before opening the store', async (flag, value) => {
    const h = cliHome();
    for (const args of [
      [flag, value, 'ca-certificates', 'list'],
      ['ca-certificates', 'list', flag, value],
    ]) {
      expect(await runCli(args, { env: h.env })).toEqual({
        stdout: '',
        stderr:
          `peridio: error: ${flag} is a Peridio cloud option: this peridio works offline, on a local encrypted store, and never calls the Peridio API\n` +
          'peridio: hint: drop it; choose the store with --store PATH and the organization with --org or --organization-name\n',
        exitCode: 2,
      });
    }
    expect((await runCli(['ca-certificates', 'list'], { env: h.env })).stderr).toMatch(/^peridio: created a new store/);
  });
});
