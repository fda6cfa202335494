/**
 * PICTURE strings: category, character positions, digits and scale.
 * `9(5)V99` → numeric, 7 positions, 7 digits, scale 2.
 */

export type PictureCategory =
  | 'alphabetic'
  | 'alphanumeric'
  | 'alphanumeric-edited'
  | 'numeric'
  | 'numeric-edited'
  | 'national'
  | 'national-edited'
  | 'dbcs'
  | 'boolean';

export interface PictureInfo {
  category: PictureCategory;
  /** Character positions in DISPLAY form (S, V and P take none). */
  length: number;
  /** Digit positions (9s); the precision of a numeric item. */
  digits: number;
  /** Digits after the assumed decimal point. */
  scale: number;
  signed: boolean;
}

export type PictureResult = { ok: true; info: PictureInfo } | { ok: false; message: string };

const editingSymbols = new Set(['Z', '*', '+', '-', '.', ',', 'B', '0', '/', 'C', 'R', 'D', '$', 'E']);

/**
 * `currencySymbols`: the symbols CURRENCY SIGN declared (upper case); they edit like `$`.
 * `constants`: named constants (level 78, CONSTANT) a repetition may name, as in X(BUFFER-LENGTH).
 */
export function analysePicture(picture: string, currencySymbols: readonly string[] = [], constants?: ReadonlyMap<string, number>): PictureResult {
  const text = picture.toUpperCase();
  let length = 0;
  let digits = 0;
  let scale = 0;
  let signed = false;
  let afterPoint = false;
  const seen = new Set<string>();
  for (let i = 0; i < text.length; i++) {
    const symbol = currencySymbols.includes(text[i]) ? '$' : text[i];
    let count = 1;
    if (text[i + 1] === '(') {
      const close = text.indexOf(')', i + 2);
      const inside = close < 0 ? '' : text.slice(i + 2, close);
      const repeat = close < 0 ? Number.NaN : (constants?.get(inside) ?? Number(inside));
      if (!Number.isInteger(repeat) || repeat < 1) return { ok: false, message: `Bad repetition in PICTURE ${picture}: write a positive count, as in X(10).` };
      count = repeat;
      i = close;
    }
    if (symbol === '(' || symbol === ')') return { ok: false, message: `Unbalanced parenthesis in PICTURE ${picture}.` };
    seen.add(symbol);
    switch (symbol) {
      case 'S':
        signed = true;
        break;
      case 'V':
        afterPoint = true;
        break;
      case 'P':
        if (afterPoint || digits === 0) scale += count;
        else scale -= count;
        break;
      case '9':
        digits += count;
        if (afterPoint) scale += count;
        length += count;
        break;
      case '.':
        afterPoint = true;
        length += count;
        break;
      case 'A': case 'X': case 'N': case 'G': case '1': case 'U':
      case 'Z': case '*': case '+': case '-': case ',': case 'B': case '0': case '/': case 'C': case 'R': case 'D': case '$': case 'E':
        if ((symbol === 'Z' || symbol === '*') && afterPoint) scale += count;
        length += count;
        break;
      default:
        return { ok: false, message: `'${symbol}' is not a PICTURE symbol (in ${picture}).` };
    }
  }
  // `PIC P` alone is a valid (if odd) scaling-only picture; cobc and IBM accept it.
  if (length === 0 && digits === 0 && !seen.has('P')) return { ok: false, message: `PICTURE ${picture} describes no character positions.` };
  return { ok: true, info: { category: categoryOf(seen), length, digits, scale, signed } };
}

function categoryOf(seen: Set<string>): PictureCategory {
  const has = (symbol: string) => seen.has(symbol);
  const editing = [...seen].some((symbol) => editingSymbols.has(symbol));
  if (has('1')) return 'boolean';
  if (has('N') || has('U')) return editing ? 'national-edited' : 'national';
  if (has('G')) return 'dbcs';
  if (has('X') || has('A')) {
    if (has('A') && !has('X') && !has('9') && !editing) return 'alphabetic';
    return editing ? 'alphanumeric-edited' : 'alphanumeric';
  }
  return editing ? 'numeric-edited' : 'numeric';
}

/**
 * Bytes one occurrence of an elementary item takes, IBM Enterprise COBOL
 * sizes: binary 2/4/8 by digits, packed (digits+1)/2 rounded up, COMP-1 4,
 * COMP-2 8, POINTER, INDEX and FUNCTION-POINTER 4, PROCEDURE-POINTER 8.
 */
export function storageSize(picture: PictureInfo | undefined, usage: string, signSeparate: boolean): number {
  const digits = picture?.digits ?? 0;
  const length = picture?.length ?? 0;
  switch (usage) {
    case 'BINARY':
    case 'COMP-5':
    case 'COMP-X':
    case 'COMP-N':
      return digits <= 4 ? 2 : digits <= 9 ? 4 : 8;
    case 'PACKED-DECIMAL':
      return Math.floor(digits / 2) + 1;
    case 'COMP-6':
      return Math.ceil(digits / 2);
    case 'COMP-1':
      return 4;
    case 'COMP-2':
      return 8;
    case 'POINTER':
    case 'INDEX':
    case 'FUNCTION-POINTER':
    case 'OBJECT-REFERENCE':
      return 4;
    case 'PROCEDURE-POINTER':
      return 8;
    case 'BINARY-CHAR':
      return 1;
    case 'BINARY-SHORT':
      return 2;
    case 'BINARY-LONG':
      return 4;
    case 'BINARY-DOUBLE':
    case 'FLOAT-DECIMAL-16':
      return 8;
    case 'FLOAT-DECIMAL-34':
    case 'FLOAT-BINARY-34':
    case 'FLOAT-EXTENDED':
      return 16;
    case 'NATIONAL':
    case 'DISPLAY-1':
      return length * 2;
    default: {
      const perCharacter = picture && (picture.category === 'national' || picture.category === 'national-edited' || picture.category === 'dbcs') ? 2 : 1;
      return length * perCharacter + (picture?.signed && signSeparate ? 1 : 0);
    }
  }
}
