/**
 * Exact output with named holes: everything in `template` must match literally
 * except `{code}` (a verification code), `{uuid}`, `{path}` and `{hash}`.
 */
const HOLES: Record<string, string> = {
  code: '[A-Za-z0-9]{32,64}',
  uuid: '[0-9a-f]{8}-[0-9a-f]{4}-[47][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}',
  path: '\\S+',
  hash: '[0-9a-f]{64}',
};

export function exactly(template: string): RegExp {
  const escaped = template.replace(/[.*+?^$()|[\]\\]/g, '\\$&');
  return new RegExp(`^${escaped.replace(/\{(code|uuid|path|hash)\}/g, (_m, hole: string) => HOLES[hole]!)}$`);
}
