/**
 * Publishes diagnostics per URI when several analyses contribute to one
 * file: a copybook gets its own diagnostics (when open) plus those found in
 * it while analysing each program that copies it. Contributions are kept per
 * (target, source) pair and published as their de-duplicated union.
 */
import type { Diagnostic } from 'vscode-languageserver/node';

export class DiagnosticsPublisher {
  /** target URI → source URI → diagnostics. */
  private readonly contributions = new Map<string, Map<string, Diagnostic[]>>();

  constructor(private readonly send: (uri: string, diagnostics: Diagnostic[], version: number | undefined) => void) {}

  /** Replaces what `source` reports for each target; targets it no longer reports on are cleared. */
  update(source: string, byTarget: Map<string, Diagnostic[]>, version: number | undefined): void {
    const touched = new Set<string>(byTarget.keys());
    for (const [target, sources] of this.contributions) if (sources.has(source)) touched.add(target);
    for (const target of touched) {
      const diagnostics = byTarget.get(target);
      let sources = this.contributions.get(target);
      if (diagnostics && diagnostics.length > 0) {
        if (!sources) this.contributions.set(target, (sources = new Map()));
        sources.set(source, diagnostics);
      } else sources?.delete(source);
      if (sources && sources.size === 0) this.contributions.delete(target);
      this.publish(target, target === source ? version : undefined);
    }
  }

  /** Forgets a source (its document closed). */
  remove(source: string): void {
    this.update(source, new Map(), undefined);
  }

  private publish(target: string, version: number | undefined): void {
    const seen = new Set<string>();
    const all: Diagnostic[] = [];
    for (const diagnostics of this.contributions.get(target)?.values() ?? []) {
      for (const diagnostic of diagnostics) {
        const { start, end } = diagnostic.range;
        const key = `${start.line}:${start.character}:${end.line}:${end.character}:${diagnostic.code}:${diagnostic.message}`;
        if (seen.has(key)) continue;
        seen.add(key);
        all.push(diagnostic);
      }
    }
    this.send(target, all, version);
  }
}
