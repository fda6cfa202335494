/**
 * Maps between LSP document URIs and the front end's file ids: a `file:`
 * URI's id is its path (so copybooks are searched next to it); any other URI
 * (untitled, vscode-remote, …) is its own id. Open documents are preferred
 * when turning a path back into a URI, so the editor's own spelling of the
 * URI is kept.
 */
import { fileURLToPath, pathToFileURL } from 'node:url';

export class UriMapper {
  private readonly openUris = new Map<string, string>();

  /** Records an open document's URI so ids map back to exactly it. */
  opened(uri: string): void {
    this.openUris.set(this.toId(uri), uri);
  }

  closed(uri: string): void {
    this.openUris.delete(this.toId(uri));
  }

  toId(uri: string): string {
    if (!uri.startsWith('file:')) return uri;
    try {
      return fileURLToPath(uri);
    } catch {
      return uri;
    }
  }

  toUri(id: string): string {
    const open = this.openUris.get(id);
    if (open) return open;
    if (id.startsWith('/') || /^[A-Za-z]:[\\/]/.test(id)) return pathToFileURL(id).href;
    return id;
  }
}
