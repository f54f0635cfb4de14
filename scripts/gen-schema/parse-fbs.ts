/**
 * A parser for the part of the flatbuffers schema language our TFLite subset uses: namespace,
 * enums, unions (with optional explicit member ids), tables, field defaults and attributes,
 * root_type, file_identifier and file_extension. Anything else is a syntax error rather than
 * being skipped, so the generator never silently drops part of a schema.
 */

export type TypeRef = { readonly kind: 'named'; readonly name: string } | { readonly kind: 'vector'; readonly element: TypeRef };

export interface Attribute {
  readonly name: string;
  readonly value?: string;
}

export interface EnumValueDecl {
  readonly name: string;
  readonly value: bigint;
  readonly doc: readonly string[];
}

export interface EnumDecl {
  readonly kind: 'enum';
  readonly name: string;
  readonly base: string;
  readonly values: readonly EnumValueDecl[];
  readonly doc: readonly string[];
  readonly line: number;
}

export interface UnionMemberDecl {
  readonly name: string;
  readonly value?: bigint;
  readonly line: number;
}

export interface UnionDecl {
  readonly kind: 'union';
  readonly name: string;
  readonly members: readonly UnionMemberDecl[];
  readonly doc: readonly string[];
  readonly line: number;
}

export interface FieldDecl {
  readonly name: string;
  readonly type: TypeRef;
  /** The default as written: a number, `true`/`false` or an enum value name. */
  readonly defaultValue?: string;
  readonly attributes: readonly Attribute[];
  readonly doc: readonly string[];
  readonly line: number;
}

export interface TableDecl {
  readonly kind: 'table';
  readonly name: string;
  readonly fields: readonly FieldDecl[];
  readonly doc: readonly string[];
  readonly line: number;
}

export type Decl = EnumDecl | UnionDecl | TableDecl;

export interface SchemaFile {
  readonly namespace?: string;
  readonly declarations: readonly Decl[];
  readonly rootType?: string;
  readonly fileIdentifier?: string;
  readonly fileExtension?: string;
}

export class FbsSyntaxError extends Error {
  constructor(
    readonly source: string,
    readonly line: number,
    detail: string,
  ) {
    super(`${source}:${line}: ${detail}`);
    this.name = 'FbsSyntaxError';
  }
}

type TokenKind = 'ident' | 'number' | 'string' | 'punct';

interface Token {
  readonly kind: TokenKind;
  readonly text: string;
  readonly line: number;
  /** `///` comment lines right before this token. */
  readonly doc: readonly string[];
}

const PUNCTUATION = new Set(['{', '}', '[', ']', '(', ')', ':', ';', '=', ',']);

function tokenize(text: string, source: string): Token[] {
  const tokens: Token[] = [];
  let doc: string[] = [];
  let line = 1;
  let i = 0;
  const push = (kind: TokenKind, value: string): void => {
    tokens.push({ kind, text: value, line, doc });
    doc = [];
  };
  while (i < text.length) {
    const c = text[i] as string;
    if (c === '\n') {
      line++;
      i++;
    } else if (/\s/.test(c)) {
      i++;
    } else if (text.startsWith('//', i)) {
      const end = text.indexOf('\n', i);
      const comment = text.slice(i, end === -1 ? text.length : end);
      if (comment.startsWith('///')) doc.push(comment.slice(3).trim());
      else doc = [];
      i = end === -1 ? text.length : end;
    } else if (text.startsWith('/*', i)) {
      const end = text.indexOf('*/', i + 2);
      if (end === -1) throw new FbsSyntaxError(source, line, 'unterminated block comment');
      line += text.slice(i, end).split('\n').length - 1;
      i = end + 2;
    } else if (PUNCTUATION.has(c)) {
      push('punct', c);
      i++;
    } else if (c === '"') {
      const end = text.indexOf('"', i + 1);
      if (end === -1 || text.slice(i, end).includes('\n')) throw new FbsSyntaxError(source, line, 'unterminated string');
      push('string', text.slice(i + 1, end));
      i = end + 1;
    } else {
      const match = /^(?:[-+]?(?:0[xX][0-9a-fA-F]+|\d+(?:\.\d*)?(?:[eE][-+]?\d+)?)|[A-Za-z_][A-Za-z0-9_.]*)/.exec(text.slice(i));
      if (!match) throw new FbsSyntaxError(source, line, `unexpected character '${c}'`);
      push(/^[A-Za-z_]/.test(match[0]) ? 'ident' : 'number', match[0]);
      i += match[0].length;
    }
  }
  return tokens;
}

class Parser {
  private pos = 0;

  constructor(
    private readonly tokens: readonly Token[],
    private readonly source: string,
  ) {}

  parseFile(): SchemaFile {
    const declarations: Decl[] = [];
    let namespace: string | undefined;
    let rootType: string | undefined;
    let fileIdentifier: string | undefined;
    let fileExtension: string | undefined;
    while (!this.atEnd()) {
      const keyword = this.expectKind('ident');
      switch (keyword.text) {
        case 'namespace':
          namespace = this.expectKind('ident').text;
          break;
        case 'root_type':
          rootType = this.expectKind('ident').text;
          break;
        case 'file_identifier':
          fileIdentifier = this.expectKind('string').text;
          if (fileIdentifier.length !== 4) this.fail(keyword, 'file_identifier must be exactly 4 characters');
          break;
        case 'file_extension':
          fileExtension = this.expectKind('string').text;
          break;
        case 'enum':
          declarations.push(this.parseEnum(keyword));
          continue;
        case 'union':
          declarations.push(this.parseUnion(keyword));
          continue;
        case 'table':
          declarations.push(this.parseTable(keyword));
          continue;
        default:
          this.fail(keyword, `unsupported declaration '${keyword.text}'`);
      }
      this.expect(';');
    }
    return { namespace, declarations, rootType, fileIdentifier, fileExtension };
  }

  private parseEnum(keyword: Token): EnumDecl {
    const name = this.expectKind('ident').text;
    this.expect(':');
    const base = this.expectKind('ident').text;
    this.rejectAttributes();
    this.expect('{');
    const values: EnumValueDecl[] = [];
    let next = 0n;
    while (!this.accept('}')) {
      const valueName = this.expectKind('ident');
      const value = this.accept('=') ? this.integer() : next;
      next = value + 1n;
      values.push({ name: valueName.text, value, doc: valueName.doc });
      if (!this.accept(',')) {
        this.expect('}');
        break;
      }
    }
    return { kind: 'enum', name, base, values, doc: keyword.doc, line: keyword.line };
  }

  private parseUnion(keyword: Token): UnionDecl {
    const name = this.expectKind('ident').text;
    this.rejectAttributes();
    this.expect('{');
    const members: UnionMemberDecl[] = [];
    while (!this.accept('}')) {
      const member = this.expectKind('ident');
      const value = this.accept('=') ? this.integer() : undefined;
      members.push({ name: member.text, value, line: member.line });
      if (!this.accept(',')) {
        this.expect('}');
        break;
      }
    }
    return { kind: 'union', name, members, doc: keyword.doc, line: keyword.line };
  }

  private parseTable(keyword: Token): TableDecl {
    const name = this.expectKind('ident').text;
    this.rejectAttributes();
    this.expect('{');
    const fields: FieldDecl[] = [];
    while (!this.accept('}')) {
      const fieldName = this.expectKind('ident');
      this.expect(':');
      const type = this.parseType();
      const defaultValue = this.accept('=') ? this.parseDefault() : undefined;
      const attributes = this.parseAttributes();
      this.expect(';');
      fields.push({ name: fieldName.text, type, defaultValue, attributes, doc: fieldName.doc, line: fieldName.line });
    }
    return { kind: 'table', name, fields, doc: keyword.doc, line: keyword.line };
  }

  private parseType(): TypeRef {
    if (this.accept('[')) {
      const element = this.parseType();
      this.expect(']');
      return { kind: 'vector', element };
    }
    return { kind: 'named', name: this.expectKind('ident').text };
  }

  private parseDefault(): string {
    const token = this.next();
    if (token.kind !== 'number' && token.kind !== 'ident') this.fail(token, 'expected a default value');
    return token.text;
  }

  private parseAttributes(): Attribute[] {
    const attributes: Attribute[] = [];
    if (!this.accept('(')) return attributes;
    do {
      const name = this.expectKind('ident').text;
      if (this.accept(':')) {
        const value = this.next();
        if (value.kind === 'punct') this.fail(value, `expected a value for attribute '${name}'`);
        attributes.push({ name, value: value.text });
      } else {
        attributes.push({ name });
      }
    } while (this.accept(','));
    this.expect(')');
    return attributes;
  }

  private rejectAttributes(): void {
    const token = this.peek();
    if (token?.text === '(') this.fail(token, 'attributes on enums, unions and tables are not supported');
  }

  private integer(): bigint {
    const token = this.expectKind('number');
    if (!/^[-+]?(?:0[xX][0-9a-fA-F]+|\d+)$/.test(token.text)) this.fail(token, `expected an integer, got '${token.text}'`);
    const negative = token.text.startsWith('-');
    const magnitude = BigInt(token.text.replace(/^[-+]/, ''));
    return negative ? -magnitude : magnitude;
  }

  private atEnd(): boolean {
    return this.pos >= this.tokens.length;
  }

  private peek(): Token | undefined {
    return this.tokens[this.pos];
  }

  private next(): Token {
    const token = this.tokens[this.pos];
    if (!token) {
      const last = this.tokens[this.tokens.length - 1];
      throw new FbsSyntaxError(this.source, last?.line ?? 1, 'unexpected end of file');
    }
    this.pos++;
    return token;
  }

  private accept(punct: string): boolean {
    const token = this.peek();
    if (token?.kind !== 'punct' || token.text !== punct) return false;
    this.pos++;
    return true;
  }

  private expect(punct: string): void {
    const token = this.next();
    if (token.kind !== 'punct' || token.text !== punct) this.fail(token, `expected '${punct}', got '${token.text}'`);
  }

  private expectKind(kind: TokenKind): Token {
    const token = this.next();
    if (token.kind !== kind) this.fail(token, `expected ${kind === 'ident' ? 'an identifier' : `a ${kind}`}, got '${token.text}'`);
    return token;
  }

  private fail(token: Token, detail: string): never {
    throw new FbsSyntaxError(this.source, token.line, detail);
  }
}

export function parseFbs(text: string, source: string): SchemaFile {
  return new Parser(tokenize(text, source), source).parseFile();
}
