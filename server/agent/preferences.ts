/**
 * What the developer told the agent to do differently ("keep paragraph names
 * in our NNNN-VERB style"), kept per workspace in
 * `<storage>/agent/preferences.json`, shown and editable in the panel, and
 * given to the planner of later tasks (as the user's notes, never as tools).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { PreferenceNote } from './events';

const maxNotes = 50;
const maxLength = 500;

export class Preferences {
  private readonly file: string;

  constructor(storageFolder: string) {
    this.file = path.join(storageFolder, 'agent', 'preferences.json');
  }

  list(): PreferenceNote[] {
    try {
      const parsed = JSON.parse(fs.readFileSync(this.file, 'utf8')) as unknown;
      return Array.isArray(parsed) ? parsed.filter((note): note is PreferenceNote => typeof note?.id === 'string' && typeof note?.text === 'string') : [];
    } catch {
      return [];
    }
  }

  add(text: string): PreferenceNote[] {
    const clean = clip(text);
    const notes = this.list();
    if (notes.length >= maxNotes) throw new Error(`At most ${maxNotes} notes; delete one first.`);
    notes.push({ id: `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 6)}`, text: clean, created: new Date().toISOString() });
    return this.save(notes);
  }

  edit(id: string, text: string): PreferenceNote[] {
    return this.save(this.list().map((note) => (note.id === id ? { ...note, text: clip(text) } : note)));
  }

  remove(id: string): PreferenceNote[] {
    return this.save(this.list().filter((note) => note.id !== id));
  }

  private save(notes: PreferenceNote[]): PreferenceNote[] {
    fs.mkdirSync(path.dirname(this.file), { recursive: true });
    const temporary = `${this.file}.tmp`;
    fs.writeFileSync(temporary, JSON.stringify(notes, null, 1));
    fs.renameSync(temporary, this.file); // a crash mid-write keeps the old notes
    return notes;
  }
}

function clip(text: string): string {
  const clean = String(text).replace(/[\u0000-\u001f]+/g, ' ').trim();
  if (!clean) throw new Error('A note needs some text.');
  return clean.slice(0, maxLength);
}
