/**
 * Business vocabulary and naming conventions: the same concept is spelled
 * CUSTOMER-NUMBER, CUST-NO or CUSTNO depending on the shop, with WS-/W-/no
 * prefixes, and paragraphs numbered 1000-, A100-, or named ...-PARA / ...-RTN.
 */
import type { Rng } from './rng';
import type { Style } from './style';

/** concept -> [full, abbreviated, terse] */
const WORDS: Record<string, readonly [string, string, string]> = {
  customer: ['CUSTOMER', 'CUST', 'CUS'], account: ['ACCOUNT', 'ACCT', 'ACC'], employee: ['EMPLOYEE', 'EMP', 'EMP'],
  order: ['ORDER', 'ORD', 'ORD'], invoice: ['INVOICE', 'INV', 'INV'], policy: ['POLICY', 'POL', 'POL'],
  claim: ['CLAIM', 'CLM', 'CLM'], loan: ['LOAN', 'LOAN', 'LN'], product: ['PRODUCT', 'PROD', 'PRD'],
  vendor: ['VENDOR', 'VEND', 'VND'], transaction: ['TRANSACTION', 'TRANS', 'TXN'], payment: ['PAYMENT', 'PAYMT', 'PMT'],
  item: ['ITEM', 'ITEM', 'ITM'], branch: ['BRANCH', 'BRCH', 'BR'], region: ['REGION', 'REGN', 'RGN'],
  department: ['DEPARTMENT', 'DEPT', 'DPT'], ledger: ['LEDGER', 'LEDG', 'LDG'], member: ['MEMBER', 'MEMB', 'MBR'],
  number: ['NUMBER', 'NO', 'NBR'], id: ['ID', 'ID', 'ID'], name: ['NAME', 'NAME', 'NM'], amount: ['AMOUNT', 'AMT', 'AMT'],
  balance: ['BALANCE', 'BAL', 'BAL'], date: ['DATE', 'DATE', 'DT'], status: ['STATUS', 'STAT', 'ST'],
  quantity: ['QUANTITY', 'QTY', 'QTY'], price: ['PRICE', 'PRICE', 'PRC'], total: ['TOTAL', 'TOT', 'TOT'],
  count: ['COUNT', 'CNT', 'CT'], rate: ['RATE', 'RATE', 'RT'], code: ['CODE', 'CODE', 'CD'], type: ['TYPE', 'TYPE', 'TYP'],
  description: ['DESCRIPTION', 'DESC', 'DSC'], address: ['ADDRESS', 'ADDR', 'ADR'], city: ['CITY', 'CITY', 'CTY'],
  state: ['STATE', 'STATE', 'STE'], zip: ['ZIP-CODE', 'ZIP', 'ZIP'], phone: ['PHONE', 'PHONE', 'PH'],
  interest: ['INTEREST', 'INT', 'INT'], tax: ['TAX', 'TAX', 'TX'], discount: ['DISCOUNT', 'DISC', 'DSC'],
  gross: ['GROSS', 'GROSS', 'GRS'], net: ['NET', 'NET', 'NET'], hours: ['HOURS', 'HRS', 'HRS'], salary: ['SALARY', 'SAL', 'SAL'],
  premium: ['PREMIUM', 'PREM', 'PRM'], limit: ['LIMIT', 'LIMIT', 'LMT'], credit: ['CREDIT', 'CR', 'CR'], debit: ['DEBIT', 'DR', 'DR'],
  record: ['RECORD', 'REC', 'RC'], file: ['FILE', 'FILE', 'F'], line: ['LINE', 'LINE', 'LN'], page: ['PAGE', 'PAGE', 'PG'],
  read: ['READ', 'READ', 'RD'], written: ['WRITTEN', 'WRITTEN', 'WRT'], error: ['ERROR', 'ERR', 'ER'], message: ['MESSAGE', 'MSG', 'MSG'],
  end: ['END', 'END', 'END'], eof: ['EOF', 'EOF', 'EOF'], found: ['FOUND', 'FOUND', 'FND'], valid: ['VALID', 'VALID', 'VLD'],
  index: ['INDEX', 'IDX', 'IX'], table: ['TABLE', 'TBL', 'TB'], entry: ['ENTRY', 'ENT', 'EN'], work: ['WORK', 'WRK', 'WK'],
  current: ['CURRENT', 'CURR', 'CUR'], previous: ['PREVIOUS', 'PREV', 'PRV'], year: ['YEAR', 'YR', 'YY'], month: ['MONTH', 'MO', 'MM'],
  day: ['DAY', 'DAY', 'DD'], days: ['DAYS', 'DAYS', 'DYS'], due: ['DUE', 'DUE', 'DUE'], open: ['OPEN', 'OPEN', 'OPN'],
  close: ['CLOSE', 'CLOSE', 'CLS'], first: ['FIRST', 'FIRST', 'FST'], last: ['LAST', 'LAST', 'LST'], key: ['KEY', 'KEY', 'KY'],
  hold: ['HOLD', 'HOLD', 'HLD'], save: ['SAVE', 'SAVE', 'SV'], output: ['OUTPUT', 'OUT', 'OUT'], input: ['INPUT', 'IN', 'IN'],
  report: ['REPORT', 'RPT', 'RPT'], detail: ['DETAIL', 'DTL', 'DT'], header: ['HEADER', 'HDR', 'HD'], heading: ['HEADING', 'HDG', 'HD'],
  grand: ['GRAND', 'GRAND', 'GRD'], sub: ['SUB', 'SUB', 'SB'], counter: ['COUNTER', 'CTR', 'CT'], switch: ['SWITCH', 'SW', 'SW'],
  flag: ['FLAG', 'FLG', 'FL'], result: ['RESULT', 'RSLT', 'RS'], return: ['RETURN', 'RET', 'RT'], reason: ['REASON', 'RSN', 'RS'],
  effective: ['EFFECTIVE', 'EFF', 'EF'], expiry: ['EXPIRY', 'EXP', 'XP'], start: ['START', 'STRT', 'ST'], term: ['TERM', 'TERM', 'TRM'],
  month_s: ['MONTHS', 'MOS', 'MOS'], principal: ['PRINCIPAL', 'PRIN', 'PRN'], fee: ['FEE', 'FEE', 'FEE'], charge: ['CHARGE', 'CHG', 'CHG'],
  first_name: ['FIRST-NAME', 'FNAME', 'FNM'], last_name: ['LAST-NAME', 'LNAME', 'LNM'], full_name: ['FULL-NAME', 'FULLNM', 'FNM'],
  text: ['TEXT', 'TXT', 'TX'], length: ['LENGTH', 'LEN', 'LN'], position: ['POSITION', 'POS', 'PS'], pointer: ['POINTER', 'PTR', 'PT'],
  delimiter: ['DELIMITER', 'DELIM', 'DLM'], field: ['FIELD', 'FLD', 'FD'], sqlcode: ['SQLCODE', 'SQLCODE', 'SQLCODE'],
  map: ['MAP', 'MAP', 'MP'], commarea: ['COMMAREA', 'COMM', 'CA'], screen: ['SCREEN', 'SCRN', 'SCR'], response: ['RESPONSE', 'RESP', 'RSP'],
  warehouse: ['WAREHOUSE', 'WHSE', 'WH'], location: ['LOCATION', 'LOC', 'LC'], stock: ['STOCK', 'STK', 'STK'], reorder: ['REORDER', 'REORD', 'RO'],
  level: ['LEVEL', 'LVL', 'LV'], sort: ['SORT', 'SRT', 'SR'], hash: ['HASH', 'HASH', 'HSH'], check: ['CHECK', 'CHK', 'CK'],
  digit: ['DIGIT', 'DIG', 'DG'], weight: ['WEIGHT', 'WGT', 'WT'], sum: ['SUM', 'SUM', 'SM'], age: ['AGE', 'AGE', 'AG'],
  bucket: ['BUCKET', 'BKT', 'BK'], average: ['AVERAGE', 'AVG', 'AV'], percent: ['PERCENT', 'PCT', 'PC'], max: ['MAXIMUM', 'MAX', 'MX'],
  min: ['MINIMUM', 'MIN', 'MN'], run: ['RUN', 'RUN', 'RN'], time: ['TIME', 'TIME', 'TM'], parm: ['PARAMETER', 'PARM', 'PRM'],
  ok: ['OK', 'OK', 'OK'], mode: ['MODE', 'MODE', 'MD'], action: ['ACTION', 'ACTN', 'ACT'], option: ['OPTION', 'OPT', 'OP'],
  user: ['USER', 'USR', 'US'], terminal: ['TERMINAL', 'TERM', 'TRM'], program: ['PROGRAM', 'PGM', 'PG'], abend: ['ABEND', 'ABEND', 'ABD'],
};

export const ENTITIES = ['customer', 'account', 'employee', 'order', 'invoice', 'policy', 'claim', 'loan', 'product', 'vendor', 'transaction', 'payment', 'member', 'item'] as const;
export type Entity = (typeof ENTITIES)[number];

export class Namer {
  private readonly used = new Set<string>();

  constructor(
    private readonly style: Style,
    private readonly rng: Rng,
  ) {}

  word(concept: string): string {
    const forms = WORDS[concept];
    if (!forms) return concept.toUpperCase().replace(/_/g, '-');
    return forms[this.style.words];
  }

  /** Joins concepts into a data name: terse style drops hyphens between short words now and then. */
  join(concepts: readonly string[]): string {
    const parts = concepts.map((c) => this.word(c));
    if (this.style.words === 2 && parts.length === 2 && parts.join('').length <= 8) return parts.join('');
    return parts.join('-');
  }

  /** A unique working-storage name with the shop's prefix. */
  ws(...concepts: string[]): string {
    const name = this.style.wsPrefix + this.join(concepts);
    // A bare one-word name is often reserved (COUNT, REMAINDER): give it a prefix.
    return this.unique(name.includes('-') ? name : 'W-' + name);
  }

  /** A unique name with an explicit prefix (record field prefixes like CR- or CUST-). */
  prefixed(prefix: string, ...concepts: string[]): string {
    return this.unique(prefix + this.join(concepts));
  }

  unique(name: string): string {
    let candidate = name.slice(0, 30).replace(/-+$/, '');
    let n = 2;
    while (this.used.has(candidate)) candidate = `${name.slice(0, 27).replace(/-+$/, '')}-${n++}`;
    this.used.add(candidate);
    return candidate;
  }

  /** A record-field prefix for an entity, in one of several habits. */
  recordPrefix(entity: string, role: string): string {
    const w = this.word(entity);
    const pick = this.rng.int(0, 3);
    if (pick === 0) return w.slice(0, 2) + role.slice(0, 1) + '-';
    if (pick === 1) return w + '-';
    if (pick === 2) return role.slice(0, 2) + '-';
    return w.slice(0, 4) + '-';
  }

  private paraSeq = 0;
  /** A paragraph name in the program's numbering convention. */
  para(...concepts: string[]): string {
    this.paraSeq += 1;
    const base = this.join(concepts);
    const n = this.paraSeq;
    switch (this.style.paraStyle) {
      case 'num4':
        return this.unique(`${String(n * 1000).padStart(4, '0')}-${base}`);
      case 'alnum':
        return this.unique(`${String.fromCharCode(64 + Math.min(n, 26))}${String(100 + (n % 9) * 10).padStart(3, '0')}-${base}`);
      case 'suffix':
        return this.unique(`${base}-${this.rng.pick(['PARA', 'RTN', 'PARA', 'ROUTINE', 'P'])}`);
      case 'num-section':
        return this.unique(`P${String(n * 100).padStart(4, '0')}-${base}`);
      default:
        // A one-word paragraph name is often a reserved word (START, READ): qualify it.
        return this.unique(base.includes('-') ? base : `${base}-${this.rng.pick(['PARA', 'RTN', 'ROUTINE', 'LOGIC'])}`);
    }
  }
}
