/**
 * Recursive-descent parser for STIX 2.1 patterns (§9): observation expressions joined by FOLLOWEDBY < OR < AND
 * (AND binds tightest), qualifiers START/STOP, WITHIN n SECONDS, REPEATS n TIMES, and comparison expressions
 * inside `[...]` with OR < AND, NOT, the operators = != < <= > >= IN LIKE MATCHES ISSUBSET ISSUPERSET and EXISTS.
 * Object paths: `type:prop(.prop | .'quoted' | [n] | [*])*`.
 */
import { patternError, tokenize, type Token } from './lexer.js';

export type PathStep = { readonly kind: 'prop'; readonly name: string } | { readonly kind: 'index'; readonly index: number | '*' };

export interface ObjectPath {
  readonly objectType: string;
  readonly steps: readonly PathStep[];
}

export type Literal =
  | { readonly kind: 'string'; readonly value: string }
  | { readonly kind: 'int' | 'float'; readonly value: number }
  | { readonly kind: 'bool'; readonly value: boolean }
  | { readonly kind: 'timestamp' | 'binary' | 'hex'; readonly value: string };

export type CompareOp = '=' | '!=' | '<' | '<=' | '>' | '>=' | 'IN' | 'LIKE' | 'MATCHES' | 'ISSUBSET' | 'ISSUPERSET';

export type Comparison =
  | { readonly kind: 'compare'; readonly path: ObjectPath; readonly op: CompareOp; readonly negated: boolean; readonly value: Literal | readonly Literal[] }
  | { readonly kind: 'exists'; readonly path: ObjectPath }
  | { readonly kind: 'and' | 'or'; readonly left: Comparison; readonly right: Comparison };

export type Qualifier =
  | { readonly kind: 'start-stop'; readonly start: string; readonly stop: string }
  | { readonly kind: 'within'; readonly seconds: number }
  | { readonly kind: 'repeats'; readonly times: number };

export type Observation =
  | { readonly kind: 'observation'; readonly comparison: Comparison; readonly qualifiers: readonly Qualifier[] }
  | { readonly kind: 'group'; readonly inner: Observation; readonly qualifiers: readonly Qualifier[] }
  | { readonly kind: 'and' | 'or' | 'followedby'; readonly left: Observation; readonly right: Observation };

class Parser {
  private i = 0;
  constructor(private readonly src: string, private readonly toks: Token[]) {}

  private peek(): Token {
    return this.toks[this.i]!;
  }
  private next(): Token {
    return this.toks[this.i++]!;
  }
  private isKw(word: string): boolean {
    const t = this.peek();
    return t.kind === 'keyword' && t.text === word;
  }
  private expect(kind: Token['kind'], what: string): Token {
    const t = this.peek();
    if (t.kind !== kind) throw patternError(`expected ${what} but found ${t.kind === 'eof' ? 'end of pattern' : `'${t.text}'`}`, this.src, t.pos);
    return this.next();
  }
  private expectKw(word: string): void {
    const t = this.peek();
    if (!(t.kind === 'keyword' && t.text === word)) throw patternError(`expected ${word}`, this.src, t.pos);
    this.next();
  }

  parsePattern(): Observation {
    const obs = this.followedBy();
    const t = this.peek();
    if (t.kind !== 'eof') throw patternError(`unexpected '${t.text}' after the end of the pattern`, this.src, t.pos);
    return obs;
  }

  private followedBy(): Observation {
    let left = this.obsOr();
    while (this.isKw('FOLLOWEDBY')) {
      this.next();
      left = { kind: 'followedby', left, right: this.obsOr() };
    }
    return left;
  }
  private obsOr(): Observation {
    let left = this.obsAnd();
    while (this.isKw('OR')) {
      this.next();
      left = { kind: 'or', left, right: this.obsAnd() };
    }
    return left;
  }
  private obsAnd(): Observation {
    let left = this.obsUnit();
    while (this.isKw('AND')) {
      this.next();
      left = { kind: 'and', left, right: this.obsUnit() };
    }
    return left;
  }
  private obsUnit(): Observation {
    const t = this.peek();
    if (t.kind === 'lbracket') {
      this.next();
      const comparison = this.cmpOr();
      this.expect('rbracket', "']' closing the observation");
      return { kind: 'observation', comparison, qualifiers: this.qualifiers() };
    }
    if (t.kind === 'lparen') {
      this.next();
      const inner = this.followedBy();
      this.expect('rparen', "')'");
      return { kind: 'group', inner, qualifiers: this.qualifiers() };
    }
    throw patternError(`expected '[' starting an observation expression but found ${t.kind === 'eof' ? 'end of pattern' : `'${t.text}'`}`, this.src, t.pos);
  }
  private qualifiers(): Qualifier[] {
    const out: Qualifier[] = [];
    for (;;) {
      if (this.isKw('START')) {
        this.next();
        const start = this.expect('timestamp', "a t'…' timestamp after START").value as string;
        this.expectKw('STOP');
        const stop = this.expect('timestamp', "a t'…' timestamp after STOP").value as string;
        out.push({ kind: 'start-stop', start, stop });
      } else if (this.isKw('WITHIN')) {
        this.next();
        const t = this.peek();
        if (t.kind !== 'int' && t.kind !== 'float') throw patternError('expected a number of seconds after WITHIN', this.src, t.pos);
        this.next();
        if ((t.value as number) <= 0) throw patternError('WITHIN needs a positive number of seconds', this.src, t.pos);
        this.expectKw('SECONDS');
        out.push({ kind: 'within', seconds: t.value as number });
      } else if (this.isKw('REPEATS')) {
        this.next();
        const t = this.expect('int', 'a whole number after REPEATS');
        if ((t.value as number) <= 0) throw patternError('REPEATS needs a positive count', this.src, t.pos);
        this.expectKw('TIMES');
        out.push({ kind: 'repeats', times: t.value as number });
      } else return out;
    }
  }

  private cmpOr(): Comparison {
    let left = this.cmpAnd();
    while (this.isKw('OR')) {
      this.next();
      left = { kind: 'or', left, right: this.cmpAnd() };
    }
    return left;
  }
  private cmpAnd(): Comparison {
    let left = this.cmpUnit();
    while (this.isKw('AND')) {
      this.next();
      left = { kind: 'and', left, right: this.cmpUnit() };
    }
    return left;
  }
  private cmpUnit(): Comparison {
    const t = this.peek();
    if (t.kind === 'lparen') {
      this.next();
      const inner = this.cmpOr();
      this.expect('rparen', "')'");
      return inner;
    }
    if (this.isKw('EXISTS')) {
      this.next();
      return { kind: 'exists', path: this.objectPath() };
    }
    const path = this.objectPath();
    let negated = false;
    if (this.isKw('NOT')) {
      this.next();
      negated = true;
    }
    const opTok = this.next();
    if (opTok.kind === 'op') {
      return { kind: 'compare', path, op: opTok.text as CompareOp, negated, value: this.literal() };
    }
    if (opTok.kind === 'keyword') {
      switch (opTok.text) {
        case 'IN':
          return { kind: 'compare', path, op: 'IN', negated, value: this.setLiteral() };
        case 'LIKE':
        case 'MATCHES':
        case 'ISSUBSET':
        case 'ISSUPERSET': {
          const lit = this.literal();
          if (lit.kind !== 'string') throw patternError(`${opTok.text} needs a string literal`, this.src, opTok.pos);
          return { kind: 'compare', path, op: opTok.text, negated, value: lit };
        }
      }
    }
    throw patternError(`expected a comparison operator but found ${opTok.kind === 'eof' ? 'end of pattern' : `'${opTok.text}'`}`, this.src, opTok.pos);
  }
  private setLiteral(): Literal[] {
    this.expect('lparen', "'(' starting a set");
    const items: Literal[] = [this.literal()];
    while (this.peek().kind === 'comma') {
      this.next();
      items.push(this.literal());
    }
    this.expect('rparen', "')' closing the set");
    return items;
  }
  private literal(): Literal {
    const t = this.next();
    switch (t.kind) {
      case 'string': case 'timestamp': case 'binary': case 'hex':
        return { kind: t.kind, value: t.value as string };
      case 'int': case 'float':
        return { kind: t.kind, value: t.value as number };
      case 'bool':
        return { kind: 'bool', value: t.value as boolean };
      default:
        throw patternError(`expected a literal value but found ${t.kind === 'eof' ? 'end of pattern' : `'${t.text}'`}`, this.src, t.pos);
    }
  }
  private objectPath(): ObjectPath {
    const typeTok = this.expect('ident', 'an object type such as domain-name');
    if (!/^[a-z0-9-]+$/.test(typeTok.text) || typeTok.text.length < 3) {
      throw patternError(`'${typeTok.text}' is not a valid object type (lower-case letters, digits and hyphens)`, this.src, typeTok.pos);
    }
    this.expect('colon', "':' after the object type");
    const steps: PathStep[] = [this.propName()];
    for (;;) {
      const t = this.peek();
      if (t.kind === 'dot') {
        this.next();
        steps.push(this.propName());
      } else if (t.kind === 'lbracket') {
        this.next();
        const ix = this.next();
        if (ix.kind === 'star') steps.push({ kind: 'index', index: '*' });
        else if (ix.kind === 'int') steps.push({ kind: 'index', index: ix.value as number });
        else throw patternError("expected a list index or '*'", this.src, ix.pos);
        this.expect('rbracket', "']' closing the list index");
      } else break;
    }
    return { objectType: typeTok.text, steps };
  }
  private propName(): PathStep {
    const t = this.next();
    if (t.kind === 'ident') return { kind: 'prop', name: t.text };
    if (t.kind === 'string') return { kind: 'prop', name: t.value as string };
    // keywords and booleans are valid property names in paths (e.g. `x:value`), numbers are not
    if (t.kind === 'keyword' || t.kind === 'bool') return { kind: 'prop', name: t.text };
    throw patternError('expected a property name', this.src, t.pos);
  }
}

/** Parses a STIX 2.x pattern; throws `intel/bad-pattern` with the offset of the problem. */
export function parsePattern(pattern: string): Observation {
  return new Parser(pattern, tokenize(pattern)).parsePattern();
}

/** Renders a path back to its canonical text, e.g. `file:hashes.'SHA-256'`. */
export function pathText(p: ObjectPath): string {
  let out = `${p.objectType}:`;
  p.steps.forEach((s, i) => {
    if (s.kind === 'index') out += `[${s.index}]`;
    else {
      const plain = /^[a-z_][a-z0-9_]*$/.test(s.name);
      out += (i === 0 ? '' : '.') + (plain ? s.name : `'${s.name.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`);
    }
  });
  return out;
}

/** Every comparison of a pattern, with whether it sits under an observation-level AND/FOLLOWEDBY. */
export function comparisonsOf(obs: Observation): Comparison[] {
  const out: Comparison[] = [];
  const walkC = (c: Comparison): void => {
    if (c.kind === 'and' || c.kind === 'or') {
      walkC(c.left);
      walkC(c.right);
    } else out.push(c);
  };
  const walkO = (o: Observation): void => {
    if (o.kind === 'observation') walkC(o.comparison);
    else if (o.kind === 'group') walkO(o.inner);
    else {
      walkO(o.left);
      walkO(o.right);
    }
  };
  walkO(obs);
  return out;
}
