/** The part of jmespath.js (which ships no types) that --query uses. */
declare module 'jmespath' {
  /** Parses `expression`; throws a ParserError or LexerError when it is not valid JMESPath. */
  export function compile(expression: string): unknown;
  /** Evaluates `expression` over `data`; throws on a runtime error such as a function's argument type. */
  export function search(data: unknown, expression: string): unknown;
}
