import { PassThrough, Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { inquirerPrompter } from '../../../src/cli/prompt.js';

/** A fake terminal: keystrokes written to `input`, the prompt's drawing kept in `screen()`. */
function terminal() {
  const input = Object.assign(new PassThrough(), { isTTY: true, setRawMode: () => undefined });
  let screen = '';
  const output = new Writable({
    write(chunk: Buffer, _enc, done) {
      screen += chunk.toString('utf8');
      done();
    },
  });
  return {
    input,
    output,
    screen: () => screen,
    /** Types `keys` once the prompt is drawn (inquirer loads lazily, then listens). */
    typeWhenShown(keys: string): void {
      const poll = setInterval(() => {
        if (screen.length === 0) return;
        clearInterval(poll);
        input.write(keys);
      }, 10);
    },
  };
}

describe('inquirerPrompter', () => {
  it('reads a hidden answer without echoing it', async () => {
    const t = terminal();
    const answer = inquirerPrompter(t.input, t.output).secret('Passphrase');
    t.typeWhenShown('s3cret words\n');
    expect(await answer).toBe('s3cret words');
    expect(t.screen()).toContain('Passphrase');
    expect(t.screen()).not.toContain('s3cret');
  });

  it('turns Ctrl-C into a usage error, not an internal failure', async () => {
    const t = terminal();
    const answer = inquirerPrompter(t.input, t.output).confirm('Delete it?', false);
    t.typeWhenShown('\u0003');
    await expect(answer).rejects.toMatchObject({ code: 'usage', message: 'cancelled at the prompt' });
  });
});
