/**
 * Generates grammars/cobol.tmLanguage.json (scope `source.cobol`) from the rule definitions in this file
 * and the word tables in grammars/reservedWords.json, so the grammar and the language server's keyword
 * completion share one source of truth.
 *
 *   node grammars/buildGrammar.mjs          write the JSON (npm run grammar:build)
 *   node grammars/buildGrammar.mjs --check  exit 1 when the committed JSON is stale
 *
 * How the grammar reads COBOL (TextMate matches one line at a time):
 * - Fixed format is the default. Every line is matched whole by one "frame" rule that splits it by column:
 *   1-6 sequence area, 7 indicator, 8-72 code, 73+ identification area. The code area is a capture that
 *   is re-tokenized with the code rules, so no token can run past column 72 into the identification area.
 *   A line whose column 7 is not a valid indicator is read as free-format code (free-format files that
 *   lack a `>>SOURCE FORMAT FREE` directive then still look right).
 * - `>>SOURCE FORMAT FREE` (or Micro Focus `$SET SOURCEFORMAT"FREE"`) opens a region that reads the
 *   following lines in free format until `>>SOURCE FORMAT FIXED`.
 * - EXEC SQL / CICS / DLI ... END-EXEC are the only constructs that span lines, so they are begin/end
 *   regions with their own column-aware line rules.
 * - Every regex is linear: possessive quantifiers, bounded repetition, no nested unbounded groups, so a
 *   1 MB line tokenizes in linear time.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
export const grammarPath = join(here, 'cobol.tmLanguage.json');
export const wordsPath = join(here, 'reservedWords.json');

/** Scope given to each word group of reservedWords.json wherever its words appear. */
export const GROUP_SCOPES = {
  divisionHeaders: 'keyword.other.division.cobol',
  sectionHeaders: 'keyword.other.section.cobol',
  paragraphHeaders: 'keyword.other.paragraph.cobol',
  flowStatements: 'keyword.control.flow.cobol',
  statements: 'keyword.other.verb.cobol',
  scopeTerminators: 'keyword.control.end.cobol',
  compilerDirecting: 'keyword.control.directive.cobol',
  levelIndicators: 'storage.type.level-indicator.cobol',
  dataClauses: 'storage.modifier.clause.cobol',
  usageTypes: 'storage.type.usage.cobol',
  figurativeConstants: 'constant.language.figurative.cobol',
  booleanConstants: 'constant.language.boolean.cobol',
  specialRegisters: 'variable.language.special-register.cobol',
  logicalOperators: 'keyword.operator.wordlike.cobol',
  otherKeywords: 'keyword.other.cobol',
  intrinsicFunctions: 'support.function.intrinsic.cobol',
};

/** Scopes of the non-word parts, named once so rules and docs agree. */
const S = {
  sequence: 'comment.block.sequence-area.cobol',
  identification: 'comment.block.identification-area.cobol',
  indicatorComment: 'comment.line.indicator.cobol',
  commentPunct: 'punctuation.definition.comment.cobol',
  floatingComment: 'comment.line.floating.cobol',
  commentEntry: 'comment.line.comment-entry.cobol',
  debugLine: 'meta.debug-line.cobol',
  debugIndicator: 'keyword.other.indicator.debug.cobol',
  continuation: 'keyword.other.indicator.continuation.cobol',
  directive: 'keyword.control.directive.cobol',
  directiveLine: 'meta.preprocessor.directive.cobol',
  compilerOptions: 'meta.preprocessor.compiler-options.cobol',
  freeRegion: 'meta.format.free.cobol',
  paragraph: 'entity.name.function.cobol',
  section: 'entity.name.function.section.cobol',
  program: 'entity.name.type.program.cobol',
  copybook: 'entity.name.type.copybook.cobol',
  userFunction: 'entity.name.function.user-defined.cobol',
  level: 'constant.numeric.level.cobol',
  definedName: 'entity.name.variable.data.cobol',
  fileName: 'entity.name.variable.file.cobol',
  picture: 'storage.type.picture.cobol',
  number: 'constant.numeric.cobol',
  pseudoText: 'string.quoted.other.pseudo-text.cobol',
  identifier: 'variable.other.cobol',
  hostVariable: 'variable.other.host.cobol',
  exec: 'keyword.control.directive.exec.cobol',
  sql: 'meta.embedded.block.sql',
  cics: 'meta.embedded.block.cics.cobol',
  otherExec: 'meta.embedded.block.exec.cobol',
  execOption: 'keyword.other.option.exec.cobol',
  execWord: 'keyword.other.command.exec.cobol',
  period: 'punctuation.terminator.period.cobol',
  separator: 'punctuation.separator.cobol',
  paren: 'punctuation.section.parens.cobol',
  operator: 'keyword.operator.cobol',
};

/** Literal prefixes: X hex, N national, NX national hex, Z null-terminated, G DBCS, B/BX boolean, U UTF-8. */
const LITERAL_KINDS = [
  ['NX', 'national-hex'],
  ['BX', 'boolean-hex'],
  ['X', 'hex'],
  ['N', 'national'],
  ['Z', 'null-terminated'],
  ['G', 'dbcs'],
  ['B', 'boolean'],
  ['U', 'utf8'],
  ['', ''],
];

// Regex building blocks. COBOL words contain hyphens, so word edges are [\w-], never \b.
const B = String.raw`(?<![\w-])`;
const E = String.raw`(?![\w-])`;
const WORD = String.raw`[A-Za-z0-9_][\w-]*+`;
const SP = String.raw`[ \t]`;
/**
 * What columns 1-6 of a fixed-format line hold: digits and blanks (sequence numbers, or nothing), or six
 * non-blank characters (change tags such as CHG001). Anything else, like `    if` or `01  ws`, is the start of
 * a free-format line without a directive, and reading it as a sequence area would hide code as a comment.
 */
const SEQ = String.raw`(?:[0-9 ]{6}|[^ \t\n]{6})`;
/**
 * The blanks that start the code of a line: from column 8 in fixed format, from column 1 in free format.
 * They are consumed (not looked behind at): a variable-length lookbehind to the line start costs O(line)
 * at every position, which makes long free-format lines quadratic.
 */
const LINE_START = { fixed: String.raw`(?<=^.{7})[ \t]*+`, free: String.raw`^[ \t]*+` };
/**
 * Area A: columns 8-11 in fixed format; at most three leading blanks in free format (same shape).
 * Never write `{0,3}+`: in Oniguruma's Ruby syntax it is not possessive but a repeated interval, which
 * backtracks exponentially (measured: 100 ms per position on a blank line).
 */
/** The rest of columns 8-72: characters up to the identification area, however long the line. */
const UP_TO_72 = String.raw`(?:(?!(?<=^.{72}))[^\n])*+`;
const AREA_A = { fixed: String.raw`(?<=^.{7})[ ]{0,3}`, free: String.raw`^[ ]{0,3}` };

const escape = (text) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
/** `C` as `[Cc]`: case-insensitive without (?i). */
const letterClass = (c) => (/[A-Za-z]/.test(c) ? `[${c.toUpperCase()}${c.toLowerCase()}]` : escape(c));
/**
 * Case-insensitive alternation of words, grouped by first letter: `(?:[Mm](?i:OVE|ULTIPLY)|[Aa](?i:DD))`.
 * Why: a pattern that starts with a character class lets Oniguruma skip impossible positions, while a global
 * (?i) in front of a lookbehind makes every position cost microseconds (measured: ~100x slower on long lines).
 */
const words = (list) => {
  const byFirst = new Map();
  for (const w of [...list].sort((a, b) => b.length - a.length || a.localeCompare(b))) {
    const first = w[0].toUpperCase();
    byFirst.set(first, [...(byFirst.get(first) ?? []), w.slice(1)]);
  }
  return `(?:${[...byFirst]
    .map(([first, rests]) => {
      const tails = rests.filter((r) => r !== '').map(escape);
      const tail = tails.length ? `(?i:${tails.join('|')})` : '';
      return `${letterClass(first)}${rests.includes('') ? (tail ? `${tail}?` : '') : tail}`;
    })
    .join('|')})`;
};

/** `>>SOURCE [FORMAT] [IS] FREE` or Micro Focus `$SET ... SOURCEFORMAT"FREE"`, for a format name. */
const sourceFormat = (format) =>
  `(?:>>${SP}*+${words(['SOURCE'])}(?:${SP}++${words(['FORMAT'])})?(?:${SP}++${words(['IS'])})?${SP}++${words([format])}` +
  `|\\$${SP}*+${words(['SET'])}${E}[^\\n]*?${words(['SOURCEFORMAT'])}${SP}*+[("']?${SP}*+${words([format])})`;

/** Builds the grammar object from the word tables. Pure: same tables, same grammar. */
export function buildGrammar(tables) {
  const groups = tables.groups;
  for (const name of Object.keys(groups)) {
    if (!GROUP_SCOPES[name]) throw new Error(`reservedWords.json: group "${name}" has no scope in GROUP_SCOPES`);
  }
  const scopeOfWord = new Map();
  for (const [name, group] of Object.entries(groups)) {
    if (name === 'intrinsicFunctions') continue;
    for (const w of group.words) scopeOfWord.set(w, GROUP_SCOPES[name]);
  }
  const scopeOf = (word) => {
    const scope = scopeOfWord.get(word);
    if (!scope) throw new Error(`buildGrammar: "${word}" is used by a rule but missing from reservedWords.json`);
    return scope;
  };
  /** A user-defined word: any COBOL word that is not reserved. */
  const USER_WORD = String.raw`(?!${words([...scopeOfWord.keys()])}${E})${WORD}`;

  /** All reserved words in one regex, one capture per group: one scan per position instead of sixteen. */
  const keywordGroups = Object.entries(groups).filter(([name]) => name !== 'intrinsicFunctions');
  const keywordRule = {
    comment: `Reserved words by group: ${keywordGroups.map(([name]) => name).join(', ')}.`,
    match: `${B}(?=[A-Za-z])(?:${keywordGroups.map(([, group]) => `(${words(group.words)})`).join('|')})${E}`,
    captures: Object.fromEntries(keywordGroups.map(([name], i) => [i + 1, { name: GROUP_SCOPES[name] }])),
  };

  const literalRules = LITERAL_KINDS.flatMap(([prefix, kind]) =>
    [
      ['"', 'double'],
      ["'", 'single'],
    ].map(([q, quoteKind]) => ({
      name: `string.quoted.${quoteKind}${kind ? `.${kind}` : ''}.cobol`,
      match: `${prefix ? `${B}(${[...prefix].map(letterClass).join('')})` : '()'}(${q})((?:[^${q}]++|${q}${q})*+)(${q})?`,
      captures: {
        1: { name: 'storage.type.string.cobol' },
        2: { name: 'punctuation.definition.string.begin.cobol' },
        4: { name: 'punctuation.definition.string.end.cobol' },
      },
    })),
  );

  /** A data description entry: level number, then the name it defines (or FILLER / a clause). */
  const levelEntry = (mode) => ({
    match: `${LINE_START[mode]}(0?[1-9]|[1-4][0-9]|66|77|78|88)(?:(${SP}++)(${USER_WORD})|(?=${SP}*+(?:\\.|$)|${SP}++${words(
      [...groups.dataClauses.words, ...groups.usageTypes.words],
    )}${E}))`,
    captures: { 1: { name: S.level }, 3: { name: S.definedName } },
  });

  /** A procedure section header (user word SECTION [segment].) or paragraph header (user word.) in Area A. */
  const procedureHeaders = (mode) => [
    {
      match: `${AREA_A[mode]}(${USER_WORD})${SP}++(${words(['SECTION'])})(?:${SP}++([0-9]++))?${SP}*+(\\.)`,
      captures: { 1: { name: S.section }, 2: { name: scopeOf('SECTION') }, 3: { name: S.number }, 4: { name: S.period } },
    },
    {
      match: `${AREA_A[mode]}(${USER_WORD})${SP}*+(\\.)`,
      captures: { 1: { name: S.paragraph }, 2: { name: S.period } },
    },
  ];

  const code = (mode) => [
    { include: '#floating-comment' },
    ...procedureHeaders(mode),
    levelEntry(mode),
    { include: '#code-common' },
  ];

  const repository = {
    'fixed-line': {
      comment: 'One whole fixed-format line, split by column.',
      patterns: [
        {
          comment: 'A tab in the sequence area or indicator column: columns are unknown, read the line as free-format code.',
          begin: '^(?=[^\\t\\n]{0,6}\\t)',
          end: '$',
          patterns: [{ include: '#exec-blocks-free' }, { include: '#code-free' }],
        },
        { include: '#fixed-comment-line' },
        {
          name: S.debugLine,
          match: `^(${SEQ})([Dd])(.{0,65})(.*+)$`,
          captures: {
            1: { name: S.sequence },
            2: { name: S.debugIndicator },
            3: { patterns: [{ include: '#code-fixed' }] },
            4: { name: S.identification },
          },
        },
        {
          match: `^(${SEQ})(-)(.{0,65})(.*+)$`,
          captures: {
            1: { name: S.sequence },
            2: { name: S.continuation },
            3: { patterns: [{ include: '#continued-literal' }, { include: '#code-fixed' }] },
            4: { name: S.identification },
          },
        },
        {
          comment: 'Micro Focus directive line ($SET ...) in the indicator column.',
          match: `^(${SEQ})(\\$)(.{0,65})(.*+)$`,
          captures: {
            1: { name: S.sequence },
            2: { name: S.directive },
            3: { name: S.directiveLine, patterns: [{ include: '#directive-content' }] },
            4: { name: S.identification },
          },
        },
        {
          match: `^(${SEQ})( )(.{0,65})(.*+)$`,
          captures: {
            1: { name: S.sequence },
            3: { patterns: [{ include: '#code-fixed' }] },
            4: { name: S.identification },
          },
        },
        { include: '#short-line' },
        {
          comment:
            'Not a fixed-format line (see SEQ, or no valid indicator in column 7): free-format code without a directive. ' +
            'A region to the end of the line rather than a capture, so an EXEC block opened here can span lines.',
          begin: '^(?=[^\\n])',
          end: '$',
          patterns: [{ include: '#exec-blocks-free' }, { include: '#code-free' }],
        },
      ],
    },
    'fixed-comment-line': {
      match: `^(${SEQ})([*/])(.{0,65})(.*+)$`,
      captures: {
        1: { name: S.sequence },
        2: { name: `${S.indicatorComment} ${S.commentPunct}` },
        3: { name: S.indicatorComment },
        4: { name: S.identification },
      },
    },
    'short-line': {
      comment: 'A line of at most six digits or blanks holds only a sequence area.',
      match: '^([0-9 ]{1,6})$',
      captures: { 1: { name: S.sequence } },
    },
    'identification-area-rest': {
      name: S.identification,
      match: '(?<=^.{72})[^\\n]++',
    },
    'continued-literal': {
      comment: 'A continuation line restarts a continued literal after its opening quote.',
      patterns: ['"', "'"].map((q) => ({
        name: `string.quoted.${q === '"' ? 'double' : 'single'}.cobol`,
        match: `(?<=^.{6}-[ \\t]{0,64})(${q})((?:[^${q}]++|${q}${q})*+)(${q})?`,
        captures: {
          1: { name: 'punctuation.definition.string.begin.cobol' },
          3: { name: 'punctuation.definition.string.end.cobol' },
        },
      })),
    },
    'free-format-region': {
      name: S.freeRegion,
      begin: `^(?:(.{6})(?=[ \\t$]))?[ \\t]*+(${sourceFormat('FREE')}${SP}*+[)"']?)${E}(.*+)$`,
      beginCaptures: {
        1: { name: S.sequence },
        2: { name: S.directive },
        3: { patterns: [{ include: '#code-free' }] },
      },
      end: `^(?=(?:.{6}(?=[ \\t$]))?[ \\t]*+${sourceFormat('FIXED')}${E})`,
      patterns: [{ include: '#exec-blocks-free' }, { include: '#code-free' }],
    },
    'compiler-options-line': {
      comment: 'IBM CBL / PROCESS statement carrying compiler options.',
      name: S.compilerOptions,
      match: `^(?:.{6} )?[ \\t]*+(${words(['CBL', 'PROCESS'])})(?=[ \\t]|$)(.*+)$`,
      captures: { 1: { name: S.directive }, 2: { patterns: [{ include: '#directive-content' }] } },
    },
    'exec-blocks-fixed': {
      patterns: execBlocks('fixed'),
    },
    'exec-blocks-free': {
      patterns: execBlocks('free'),
    },
    'sql-body': {
      patterns: [
        { include: '#host-variable' },
        { include: 'source.sql' },
      ],
    },
    'exec-body': {
      comment: 'CICS, DLI and other EXEC commands: OPTION(argument) pairs and bare command words.',
      patterns: [
        { include: '#strings' },
        { include: '#numbers' },
        {
          match: `${B}(${words(['DFHRESP', 'DFHVALUE'])})${SP}*+(\\()${SP}*+(${WORD})${SP}*+(\\))`,
          captures: {
            1: { name: 'support.function.exec.cobol' },
            2: { name: S.paren },
            3: { name: 'constant.language.exec.cobol' },
            4: { name: S.paren },
          },
        },
        { name: S.execOption, match: `${B}[A-Za-z][\\w-]*+(?=${SP}*+\\()` },
        {
          begin: '\\(',
          end: '\\)',
          beginCaptures: { 0: { name: S.paren } },
          endCaptures: { 0: { name: S.paren } },
          patterns: [{ include: '#exec-argument' }],
        },
        { name: S.execWord, match: `${B}[A-Za-z][\\w-]*+` },
      ],
    },
    'exec-argument': {
      patterns: [
        { include: '#strings' },
        { include: '#numbers' },
        { include: '#host-variable' },
        { include: '#keywords' },
        { include: '#identifier' },
        { include: '#operators' },
      ],
    },
    'host-variable': {
      match: `(:)(${WORD})`,
      captures: { 1: { name: S.operator }, 2: { name: S.hostVariable } },
    },
    'code-fixed': {
      comment: 'Code in columns 8-72 of a fixed-format line.',
      patterns: code('fixed'),
    },
    'code-free': {
      comment: 'Code of a free-format line.',
      patterns: code('free'),
    },
    'code-common': {
      patterns: [
        { include: '#directive' },
        { include: '#copy-statement' },
        { include: '#comment-entry' },
        { include: '#program-name' },
        { include: '#file-description' },
        { include: '#end-marker' },
        { include: '#picture' },
        { include: '#function-call' },
        { include: '#procedure-reference' },
        { include: '#strings' },
        { include: '#pseudo-text' },
        { include: '#numbers' },
        { include: '#keywords' },
        { include: '#identifier' },
        { include: '#operators' },
      ],
    },
    'floating-comment': {
      name: S.floatingComment,
      match: '(\\*>)[^\\n]*+',
      captures: { 1: { name: S.commentPunct } },
    },
    directive: {
      patterns: [
        {
          comment: '>>D starts a free-format debugging line; the rest is code.',
          match: `(>>${SP}*+[Dd])${E}`,
          captures: { 1: { name: S.debugIndicator } },
        },
        {
          name: S.directiveLine,
          begin: `(>>${SP}*+[A-Za-z][\\w-]*+)`,
          beginCaptures: { 1: { name: S.directive } },
          end: '(?=\\*>)|$',
          patterns: [{ include: '#directive-content' }],
        },
      ],
    },
    'directive-content': {
      patterns: [{ include: '#strings' }, { include: '#numbers' }, { include: '#floating-comment' }],
    },
    'copy-statement': {
      comment: 'COPY name [OF|IN library]: the copybook name is a type-like reference.',
      match: `${B}(${words(['COPY'])})${SP}++(?:(${WORD})|((["'])[^"'\\n]*+["']?))(?:${SP}++(${words(['OF', 'IN'])})${SP}++(?:(${WORD})|(["'][^"'\\n]*+["']?)))?`,
      captures: {
        1: { name: scopeOf('COPY') },
        2: { name: S.copybook },
        3: { name: `string.quoted.copybook.cobol ${S.copybook}` },
        5: { name: scopeOf('OF') },
        6: { name: S.copybook },
        7: { name: `string.quoted.copybook.cobol ${S.copybook}` },
      },
    },
    'pseudo-text': {
      name: S.pseudoText,
      match: '(==)((?:[^=\\n]++|=(?!=))*+)(==)?',
      captures: {
        1: { name: 'punctuation.definition.string.begin.cobol' },
        3: { name: 'punctuation.definition.string.end.cobol' },
      },
    },
    'comment-entry': {
      comment: 'Obsolete IDENTIFICATION DIVISION paragraphs whose text is free commentary.',
      match: `${B}(${words(['AUTHOR', 'INSTALLATION', 'DATE-WRITTEN', 'DATE-COMPILED', 'SECURITY', 'REMARKS'])})${SP}*+(\\.)([^\\n]*+)`,
      captures: {
        1: { name: scopeOf('AUTHOR') },
        2: { name: S.period },
        3: { name: S.commentEntry },
      },
    },
    'comment-entry-fixed': {
      comment:
        'AUTHOR, REMARKS and the other comment-entry paragraphs in fixed format: their text goes on over the following lines ' +
        'until a line with something in Area A (columns 8-11), as the compiler reads it. Comment lines inside stay comment lines.',
      begin: `^(${SEQ})( )([ ]{0,3})(${words(['AUTHOR', 'INSTALLATION', 'DATE-WRITTEN', 'DATE-COMPILED', 'SECURITY', 'REMARKS'])})(${SP}*+\\.)(${UP_TO_72})(.*+)$`,
      beginCaptures: {
        1: { name: S.sequence },
        4: { name: scopeOf('AUTHOR') },
        5: { name: S.period },
        6: { name: S.commentEntry },
        7: { name: S.identification },
      },
      end: `^(?=.{6}[ Dd-][ ]{0,3}[^ \\t\\n])|^(?=[^\\n]{0,6}\\t)`,
      patterns: [
        { include: '#fixed-comment-line' },
        {
          match: `^(${SEQ})([ ])(${UP_TO_72})(.*+)$`,
          captures: { 1: { name: S.sequence }, 3: { name: S.commentEntry }, 4: { name: S.identification } },
        },
      ],
    },
    'file-description': {
      comment: 'FD / SD / RD / CD file-name: the file being described.',
      match: `${B}(${words(groups.levelIndicators.words)})${SP}++(${USER_WORD})`,
      captures: { 1: { name: GROUP_SCOPES.levelIndicators }, 2: { name: S.fileName } },
    },
    'program-name': {
      match: `${B}(${words(['PROGRAM-ID', 'FUNCTION-ID', 'CLASS-ID', 'METHOD-ID', 'INTERFACE-ID'])})(?:${SP}*+(\\.))?(?:${SP}*+(${USER_WORD}))?`,
      captures: { 1: { name: scopeOf('PROGRAM-ID') }, 2: { name: S.period }, 3: { name: S.program } },
    },
    'end-marker': {
      comment: 'END PROGRAM name / END FUNCTION name / ...',
      match: `${B}(${words(['END'])})${SP}++(${words(['PROGRAM', 'FUNCTION', 'CLASS', 'METHOD', 'INTERFACE'])})${E}(?:${SP}++(${USER_WORD}))?`,
      captures: { 1: { name: scopeOf('END') }, 2: { name: scopeOf('PROGRAM') }, 3: { name: S.program } },
    },
    picture: {
      comment: 'PIC [IS] string: the string ends at a blank, or at a separator period, comma or semicolon.',
      match: `${B}(${words(['PIC', 'PICTURE'])})(?:${SP}++(${words(['IS'])}))?${SP}++((?:[^\\s.,;]|[.,;](?=[^\\s.,;]))++)`,
      captures: { 1: { name: scopeOf('PIC') }, 2: { name: scopeOf('IS') }, 3: { name: S.picture } },
    },
    'function-call': {
      match: `${B}(${words(['FUNCTION'])})${SP}++(?:(${words(groups.intrinsicFunctions.words)})${E}|(${USER_WORD}))`,
      captures: {
        1: { name: scopeOf('FUNCTION') },
        2: { name: GROUP_SCOPES.intrinsicFunctions },
        3: { name: S.userFunction },
      },
    },
    'procedure-reference': {
      comment: 'PERFORM name [THRU name] and GO TO name. PERFORM n TIMES / PERFORM UNTIL are not references.',
      patterns: [
        {
          match: `${B}(${words(['PERFORM'])})${SP}++(${USER_WORD})(?!${SP}++${words(['TIMES'])}${E})(?:${SP}++(${words(['THRU', 'THROUGH'])})${SP}++(${USER_WORD}))?`,
          captures: {
            1: { name: scopeOf('PERFORM') },
            2: { name: S.paragraph },
            3: { name: scopeOf('THRU') },
            4: { name: S.paragraph },
          },
        },
        {
          match: `${B}(${words(['GO'])})(?:${SP}++(${words(['TO'])}))?${SP}++(${USER_WORD})`,
          captures: { 1: { name: scopeOf('GO') }, 2: { name: scopeOf('TO') }, 3: { name: S.paragraph } },
        },
      ],
    },
    strings: { patterns: literalRules },
    numbers: {
      name: S.number,
      match: `${B}[+-]?(?:[0-9]++(?:[.,][0-9]++)?|[.,][0-9]++)(?:[Ee][+-]?[0-9]++)?${E}`,
    },
    keywords: keywordRule,
    identifier: { name: S.identifier, match: `${B}${WORD}` },
    operators: {
      patterns: [
        { name: S.period, match: '\\.(?=[\\s]|$)' },
        { name: S.separator, match: '[,;]' },
        { name: S.paren, match: '[()]' },
        { name: 'keyword.operator.comparison.cobol', match: '>=|<=|<>|=|<|>' },
        { name: 'keyword.operator.arithmetic.cobol', match: '\\*\\*|[-+*/]' },
        { name: 'keyword.operator.concatenation.cobol', match: '&' },
        { name: 'punctuation.separator.reference-modification.cobol', match: ':' },
      ],
    },
  };

  return {
    $schema: 'https://raw.githubusercontent.com/martinring/tmlanguage/master/tmlanguage.json',
    $comment: 'Generated by grammars/buildGrammar.mjs from grammars/reservedWords.json. Do not edit: run `npm run grammar:build`.',
    name: 'COBOL',
    scopeName: 'source.cobol',
    patterns: [
      { include: '#compiler-options-line' },
      { include: '#free-format-region' },
      { include: '#exec-blocks-fixed' },
      { include: '#comment-entry-fixed' },
      { include: '#fixed-line' },
    ],
    repository,
  };

  /** EXEC SQL / CICS / other ... END-EXEC regions for one source format. */
  function execBlocks(mode) {
    const kinds = [
      { word: `(${words(['SQL', 'SQLIMS'])})`, contentName: S.sql, body: '#sql-body' },
      { word: `(${words(['CICS'])})`, contentName: S.cics, body: '#exec-body' },
      { word: `(?!${words(['SQL', 'SQLIMS', 'CICS'])}${E})([A-Za-z][\\w-]*+)`, contentName: S.otherExec, body: '#exec-body' },
    ];
    return kinds.map(({ word, contentName, body }) => ({
      begin:
        mode === 'fixed'
          ? `^(${SEQ})(?:([Dd])| )((?:[^"'*\\n]|\\*(?!>)){0,65}?)${B}(${words(['EXEC'])})${SP}++${word}${E}`
          : `${B}(${words(['EXEC'])})${SP}++${word}${E}`,
      beginCaptures:
        mode === 'fixed'
          ? {
              1: { name: S.sequence },
              2: { name: S.debugIndicator },
              3: { patterns: [{ include: '#code-fixed' }] },
              4: { name: S.exec },
              5: { name: S.exec },
            }
          : { 1: { name: S.exec }, 2: { name: S.exec } },
      // In fixed format END-EXEC also takes the rest of its line (code up to column 72, then the
      // identification area), so the top level only ever starts at column 1 and needs no mid-line rules.
      end:
        mode === 'fixed'
          ? `${B}(${words(['END-EXEC'])})${E}((?:(?<=^.{0,71}).)*+)([^\\n]*+)`
          : `${B}(${words(['END-EXEC'])})${E}`,
      endCaptures:
        mode === 'fixed'
          ? { 1: { name: S.exec }, 2: { patterns: [{ include: '#code-fixed' }] }, 3: { name: S.identification } }
          : { 1: { name: S.exec } },
      contentName,
      patterns:
        mode === 'fixed'
          ? [
              { include: '#fixed-comment-line' },
              {
                comment: 'A whole line of the block that does not hold END-EXEC.',
                match: `^(?!.{7}.{0,64}?${B}${words(['END-EXEC'])}${E})(.{6})(?:([Dd])|(-)| |$)(.{0,65})(.*+)$`,
                captures: {
                  1: { name: S.sequence },
                  2: { name: S.debugIndicator },
                  3: { name: S.continuation },
                  4: { patterns: [{ include: body }] },
                  5: { name: S.identification },
                },
              },
              {
                comment: 'The line that holds END-EXEC: its columns 1-7, then the body up to END-EXEC.',
                match: '^(.{6})(?:([Dd])|(-)| |$)',
                captures: { 1: { name: S.sequence }, 2: { name: S.debugIndicator }, 3: { name: S.continuation } },
              },
              { include: '#identification-area-rest' },
              { include: body },
            ]
          : [{ include: '#floating-comment' }, { include: body }],
    }));
  }
}

/**
 * Refuses regexes that Oniguruma runs in exponential time: `{n,m}+` is not possessive in its Ruby syntax but
 * a repeated interval (found the hard way: 100 ms per position on an indented blank line).
 */
function assertLinearRegexes(node, path = '') {
  if (Array.isArray(node)) return node.forEach((child, i) => assertLinearRegexes(child, `${path}/${i}`));
  if (!node || typeof node !== 'object') return;
  for (const [key, value] of Object.entries(node)) {
    if (['match', 'begin', 'end'].includes(key) && typeof value === 'string' && /\{\d*,?\d*\}\+/.test(value.replace(/\\./g, ''))) {
      throw new Error(`buildGrammar: ${path}/${key} repeats an interval ({n,m}+), which backtracks exponentially`);
    }
    assertLinearRegexes(value, `${path}/${key}`);
  }
}

/** The grammar as committed: 2-space JSON with a final newline. */
export function renderGrammar(tables) {
  const grammar = buildGrammar(tables);
  assertLinearRegexes(grammar);
  return `${JSON.stringify(grammar, null, 2)}\n`;
}

export function readTables() {
  return JSON.parse(readFileSync(wordsPath, 'utf8'));
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const text = renderGrammar(readTables());
  if (process.argv.includes('--check')) {
    if (readFileSync(grammarPath, 'utf8') !== text) {
      console.error('grammars/cobol.tmLanguage.json is stale: run `npm run grammar:build`.');
      process.exit(1);
    }
    console.log('grammars/cobol.tmLanguage.json is up to date.');
  } else {
    writeFileSync(grammarPath, text);
    console.log(`wrote ${grammarPath} (${text.length} bytes)`);
  }
}
