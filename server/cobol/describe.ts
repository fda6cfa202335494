/**
 * Human-readable descriptions of symbols (Markdown), for hovers in the
 * editor and for tools that explain code: level, PICTURE, USAGE, size in
 * bytes, offset in its record, where it is declared, 88-level values.
 */
import type { Analysis } from './analysis';
import type { CobolSymbol } from './symbols';

const kindNames: Record<CobolSymbol['kind'], string> = {
  data: 'data item',
  condition: 'condition name (88)',
  index: 'index name',
  file: 'file',
  paragraph: 'paragraph',
  section: 'section',
  program: 'program',
  'special-name': 'SPECIAL-NAMES name',
};

/**
 * Markdown paragraphs are separated by a blank line: a single newline joins
 * lines into one paragraph in a hover.
 */
export function describeSymbol(analysis: Analysis, symbol: CobolSymbol): string {
  const blocks: string[] = [];
  const data = symbol.data;
  const title = data ? `**${symbol.name}** — level ${String(data.level).padStart(2, '0')} ${kindNames[symbol.kind]}` : `**${symbol.name}** — ${kindNames[symbol.kind]}`;
  blocks.push(title);
  if (data) {
    const facts: string[] = [];
    const entry = data.entry;
    if (entry.picture) facts.push(`\`PIC ${entry.picture}\``);
    if (data.picture) facts.push(data.picture.category);
    facts.push(`\`${data.usage}\``);
    const occurs = entry.occurs;
    const bytes = (n: number) => `${n} byte${n === 1 ? '' : 's'}`;
    if (occurs) {
      const count = occurs.min !== occurs.max ? `${occurs.min} TO ${occurs.max}` : `${occurs.max}`;
      facts.push(`OCCURS ${count}: ${bytes(data.size)} each, ${bytes(data.size * Math.max(1, occurs.max))} in all`);
    } else facts.push(bytes(data.size));
    if (data.level !== 77 && data.record !== symbol) facts.push(`offset ${data.offset} in ${data.record.name}`);
    else if (data.level !== 77 && data.level !== 1) facts.push(`offset ${data.offset}`);
    blocks.push(facts.join(' · '));
    const extras: string[] = [];
    if (data.redefines) extras.push(`REDEFINES ${data.redefines.name}`);
    if (entry.renames && data.level === 66) extras.push('RENAMES');
    if (entry.values.length > 0) extras.push(`VALUE ${entry.values.join(', ')}`);
    if (entry.signSeparate) extras.push('SIGN SEPARATE');
    if (entry.synchronized) extras.push('SYNCHRONIZED');
    if (entry.justified) extras.push('JUSTIFIED');
    if (entry.global) extras.push('GLOBAL');
    if (entry.external) extras.push('EXTERNAL');
    if (data.section) extras.push(`${data.section} SECTION`);
    if (data.fileName) extras.push(`record of FD ${data.fileName}`);
    if (extras.length > 0) blocks.push(extras.join(' · '));
    const conditions = symbol.children.filter((child) => child.kind === 'condition');
    if (conditions.length > 0) {
      blocks.push(conditions.map((condition) => `- 88 **${condition.name}** VALUE ${condition.data?.entry.values.join(', ') ?? conditionValues(condition)}`).join('\n'));
    }
  } else if (symbol.kind === 'condition') {
    // The qualified path below names the parent: saying "of PARENT" here too repeated it.
    blocks.push(`VALUE ${conditionValues(symbol)}`);
  } else if (symbol.kind === 'paragraph' && symbol.parent) {
    blocks.push(`in section ${symbol.parent.name}`);
  }
  const path = symbol.parent && symbol.kind !== 'paragraph' ? qualifiedPath(symbol) : undefined;
  if (path) blocks.push(`\`${path}\``);
  blocks.push(`Declared in ${fileLabel(analysis, symbol.declaration.file)} line ${symbol.declaration.range.start.line + 1}`);
  return blocks.join('\n\n');
}

function conditionValues(symbol: CobolSymbol): string {
  const entry = symbol.program.dataEntries.find((candidate) => candidate.nameToken === symbol.nameToken);
  return entry ? entry.values.join(', ') : '';
}

function qualifiedPath(symbol: CobolSymbol): string {
  const parts = [symbol.name];
  for (let parent = symbol.parent; parent; parent = parent.parent) parts.push(parent.name);
  return parts.join(' OF ');
}

function fileLabel(analysis: Analysis, file: number): string {
  const id = analysis.files[file]?.id ?? analysis.id;
  const slash = Math.max(id.lastIndexOf('/'), id.lastIndexOf('\\'));
  return slash >= 0 ? id.slice(slash + 1) : id;
}
