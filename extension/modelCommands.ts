/**
 * "COBOL Assist: Select Model": a quick pick over the model catalogue. A
 * bundled model is selected at once; a downloadable one is fetched into the
 * extension's global storage first (progress, cancel, resume on the next
 * try), then selected by writing `cobolAssist.model.id` / `.path`, which the
 * server picks up and loads.
 *
 * Downloads run here, not in the server: the extension owns the global
 * storage folder and the progress UI, and a download must survive the
 * language server restarting (it would die with the server's process).
 */
import { existsSync } from 'node:fs';
import * as vscode from 'vscode';
import { CatalogEntry, catalog, modelFilePath } from '../server/model/catalog';
import { DownloadError, downloadModel } from './modelDownload';

export function modelCommands(context: vscode.ExtensionContext, log: vscode.LogOutputChannel): Record<string, () => unknown> {
  return { 'cobolAssist.selectModel': () => selectModel(context, log) };
}

interface ModelPick extends vscode.QuickPickItem {
  entry: CatalogEntry;
}

async function selectModel(context: vscode.ExtensionContext, log: vscode.LogOutputChannel): Promise<void> {
  const roots = { extensionRoot: context.extensionPath, storageRoot: context.globalStorageUri.fsPath };
  const current = vscode.workspace.getConfiguration('cobolAssist').get<string>('model.id');
  const picks: ModelPick[] = catalog.models
    .filter((entry) => entry.source !== 'repository' || existsSync(modelFilePath(entry, roots)))
    .map((entry) => {
      const present = existsSync(modelFilePath(entry, roots));
      const size = entry.bytes ?? entry.approximateBytes;
      const where = entry.source === 'download' ? (present ? 'downloaded' : `download ${size ? formatBytes(size) : ''}`.trim()) : 'bundled';
      return {
        entry,
        label: `${entry.id === current ? '$(check) ' : ''}${entry.name}`,
        description: `${entry.parameters} parameters · ${entry.license} · ${where}`,
        detail: entry.description,
      };
    });
  const pick = await vscode.window.showQuickPick(picks, { title: 'COBOL Assist: Select Model', placeHolder: 'Model for inline completions', matchOnDescription: true });
  if (!pick) return;
  const { entry } = pick;
  const path = modelFilePath(entry, roots);
  if (entry.source !== 'download') {
    await useModel(entry.id, '');
    return;
  }
  if (!existsSync(path)) {
    const size = entry.bytes ?? entry.approximateBytes;
    const answer = await vscode.window.showInformationMessage(
      `Download ${entry.name}${size ? ` (${formatBytes(size)})` : ''} from ${new URL(entry.url!).host}? Licence: ${entry.license}.`,
      { modal: true, detail: entry.sha256 ? 'The file is checked against its published sha256.' : 'No sha256 is published for this file: it is checked by size and GGUF header, and its sha256 is logged.' },
      'Download',
    );
    if (answer !== 'Download') return;
    if (!(await download(entry, path, log))) return;
  }
  await useModel(entry.id, path);
}

async function download(entry: CatalogEntry, path: string, log: vscode.LogOutputChannel): Promise<boolean> {
  return vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `Downloading ${entry.name}`, cancellable: true },
    async (progress, token) => {
      const controller = new AbortController();
      token.onCancellationRequested(() => controller.abort());
      let reported = 0;
      try {
        const result = await downloadModel(
          { url: entry.url!, destination: path, sha256: entry.sha256, bytes: entry.bytes, ...(entry.maxBytes ? { maxBytes: entry.maxBytes } : {}) },
          {
            signal: controller.signal,
            onProgress: ({ receivedBytes, totalBytes }) => {
              if (!totalBytes) return;
              const percent = (receivedBytes / totalBytes) * 100;
              if (percent - reported < 0.5 && receivedBytes < totalBytes) return;
              progress.report({ increment: percent - reported, message: `${formatBytes(receivedBytes)} of ${formatBytes(totalBytes)}` });
              reported = percent;
            },
          },
        );
        log.info(`Downloaded ${entry.id} to ${result.path}: ${result.bytes} bytes, sha256 ${result.sha256}${result.resumed ? ' (resumed)' : ''}.`);
        return true;
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        log.warn(`Download of ${entry.id} failed: ${message}`);
        if (error instanceof DownloadError && error.code === 'cancelled') {
          void vscode.window.showInformationMessage(`COBOL Assist: download of ${entry.name} paused. Select the model again to resume.`);
        } else {
          void vscode.window.showErrorMessage(`COBOL Assist: ${message}`);
        }
        return false;
      }
    },
  );
}

async function useModel(id: string, path: string): Promise<void> {
  const config = vscode.workspace.getConfiguration('cobolAssist');
  await config.update('model.id', id, vscode.ConfigurationTarget.Global);
  await config.update('model.path', path || undefined, vscode.ConfigurationTarget.Global);
}

function formatBytes(bytes: number): string {
  return bytes >= 1e9 ? `${(bytes / 1e9).toFixed(2)} GB` : bytes >= 1e6 ? `${(bytes / 1e6).toFixed(0)} MB` : `${(bytes / 1e3).toFixed(0)} kB`;
}

