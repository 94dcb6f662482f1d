/**
 * `--query EXPR`: JMESPath over the JSON result, the expression language `aws` and
 * `az` use for their `--query`. The expression is compiled before the command runs,
 * so a typo never costs a command that changes something (an issued code, a
 * registration) its printed result. The library (jmespath.js, the reference
 * implementation) is loaded only when --query is given.
 */
import { UsageError } from '../core/errors.js';

/** A compiled `--query`, applied to a command's result. */
export interface JsonQuery {
  readonly expression: string;
  /** The result as JSON sees it, filtered. @throws UsageError when the expression fails on it. */
  apply(result: unknown): unknown;
}

const HINT = 'see https://jmespath.org for the syntax, for example --query "items[].name"';

/**
 * Compiles `expression`.
 * @throws UsageError naming the expression and the parser's complaint.
 */
export async function compileQuery(expression: string): Promise<JsonQuery> {
  const jmespath = await import('jmespath');
  if (expression.trim() === '') throw new UsageError('invalid --query "": expected a JMESPath expression', HINT);
  try {
    jmespath.compile(expression);
  } catch (error) {
    throw new UsageError(`invalid --query "${expression}": ${describe(error)}`, HINT);
  }
  return {
    expression,
    apply(result) {
      // Through JSON first, so the expression sees exactly the document --json prints.
      const document: unknown = JSON.parse(JSON.stringify(result) ?? 'null');
      try {
        return jmespath.search(document, expression);
      } catch (error) {
        throw new UsageError(`--query "${expression}" failed on the result: ${describe(error)}`, HINT);
      }
    },
  };
}

function describe(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.replace(/^[A-Za-z]+Error: /, '').replace(/^./, (c) => c.toLowerCase());
}
