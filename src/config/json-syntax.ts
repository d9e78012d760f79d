/**
 * Where a JSON text first stops being JSON, as line and column (both from 1) and what was
 * expected there. JSON.parse on Node 20 gives a character offset at best, and for an unexpected
 * token none at all but an echo of the whole text, which may hold an inline secret (macKey): a
 * config error must name the place without quoting the file.
 */
export interface JsonSyntaxProblem {
  line: number;
  column: number;
  /** What is wrong there, without the file's text ("expected a value", "unexpected end of file"). */
  problem: string;
}

class Stop {
  constructor(
    readonly offset: number,
    readonly problem: string,
  ) {}
}

/** The first syntax error in `text` (RFC 8259, as JSON.parse reads it), or undefined if it parses. */
export function findJsonSyntaxProblem(text: string): JsonSyntaxProblem | undefined {
  let i = 0;
  const fail = (problem: string): never => {
    throw new Stop(i, i >= text.length ? 'unexpected end of file' : problem);
  };
  const ws = (): void => {
    while (i < text.length && ' \t\n\r'.includes(text[i]!)) i++;
  };
  const literal = (word: string): void => {
    for (const ch of word) {
      if (text[i] !== ch) fail(`expected ${word}`);
      i++;
    }
  };
  const string = (): void => {
    i++; // the opening quote
    for (;;) {
      if (i >= text.length) fail('unterminated string');
      const ch = text[i]!;
      if (ch === '"') {
        i++;
        return;
      }
      if (ch === '\\') {
        i++;
        const esc = text[i];
        if (esc === 'u') {
          i++;
          for (let k = 0; k < 4; k++) {
            if (!/[0-9a-fA-F]/.test(text[i] ?? '')) fail('expected four hex digits after \\u');
            i++;
          }
        } else if (esc !== undefined && '"\\/bfnrt'.includes(esc)) i++;
        else fail('invalid escape in string');
      } else if (ch < ' ') fail('control character in string (write it as \\n, \\t, ...)');
      else i++;
    }
  };
  const digits = (what: string): void => {
    if (!/[0-9]/.test(text[i] ?? '')) fail(what);
    while (/[0-9]/.test(text[i] ?? '')) i++;
  };
  const number = (): void => {
    if (text[i] === '-') i++;
    if (text[i] === '0') i++;
    else digits('expected a digit');
    if (text[i] === '.') {
      i++;
      digits('expected a digit after the decimal point');
    }
    if (text[i] === 'e' || text[i] === 'E') {
      i++;
      if (text[i] === '+' || text[i] === '-') i++;
      digits('expected a digit in the exponent');
    }
  };
  const value = (): void => {
    ws();
    const ch = text[i];
    if (ch === '{') return object();
    if (ch === '[') return array();
    if (ch === '"') return string();
    if (ch === 't') return literal('true');
    if (ch === 'f') return literal('false');
    if (ch === 'n') return literal('null');
    if (ch === '-' || /[0-9]/.test(ch ?? '')) return number();
    if (ch === "'") fail('strings take double quotes (")');
    fail('expected a value (string, number, object, array, true, false or null)');
  };
  const object = (): void => {
    i++;
    ws();
    if (text[i] === '}') {
      i++;
      return;
    }
    for (;;) {
      ws();
      if (text[i] !== '"') fail(text[i] === '}' ? 'trailing comma before }' : 'expected a field name in double quotes');
      string();
      ws();
      if (text[i] !== ':') fail('expected : after the field name');
      i++;
      value();
      ws();
      if (text[i] === ',') {
        i++;
        continue;
      }
      if (text[i] === '}') {
        i++;
        return;
      }
      fail('expected , or } after a value (a missing comma?)');
    }
  };
  const array = (): void => {
    i++;
    ws();
    if (text[i] === ']') {
      i++;
      return;
    }
    for (;;) {
      ws();
      if (text[i] === ']') fail('trailing comma before ]');
      value();
      ws();
      if (text[i] === ',') {
        i++;
        continue;
      }
      if (text[i] === ']') {
        i++;
        return;
      }
      fail('expected , or ] after a value (a missing comma?)');
    }
  };

  try {
    // A byte order mark is not JSON; editors on Windows add one.
    if (text.charCodeAt(0) === 0xfeff) fail('byte order mark at the start: save the file as UTF-8 without BOM');
    value();
    ws();
    if (i < text.length) fail('unexpected text after the end of the JSON value');
    return undefined;
  } catch (error) {
    if (!(error instanceof Stop)) throw error;
    return { ...lineAndColumn(text, error.offset), problem: error.problem };
  }
}

/** Line and column (from 1, the column counted in characters) of a character offset. */
export function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let start = 0;
  for (let k = 0; k < offset && k < text.length; k++) {
    if (text[k] === '\n') {
      line++;
      start = k + 1;
    }
  }
  return { line, column: offset - start + 1 };
}
