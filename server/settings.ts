/**
 * The server's settings: their shape, their defaults, and how a raw
 * `cobolAssist` configuration object becomes a valid one.
 *
 * Settings are never kept in globals: the LSP layer asks the client for them
 * and passes them to whatever needs them.
 */

export type SourceFormatSetting = 'auto' | 'fixed' | 'free';

export interface Settings {
  /** How to read source: fixed columns, free format, or detect per file. */
  sourceFormat: SourceFormatSetting;
  /** Report columns 1-6 that are neither blank nor digits (some shops require sequence numbers). */
  checkSequenceArea: boolean;
  /** Copybook search paths (globs allowed), relative to the workspace folder. */
  copybookPaths: string[];
  /** On save, also run GnuCOBOL's `cobc -fsyntax-only` and show its messages. */
  cobcEnabled: boolean;
  /** The cobc command (a name on PATH or a full path). */
  cobcPath: string;
}

export const defaultSettings: Settings = {
  sourceFormat: 'auto',
  checkSequenceArea: false,
  copybookPaths: [],
  cobcEnabled: false,
  cobcPath: 'cobc',
};

/** Turns whatever the client sent into valid settings; bad values fall back to defaults. */
export function parseSettings(raw: unknown): Settings {
  const section = (raw && typeof raw === 'object' ? raw : {}) as Record<string, unknown>;
  const format = section.sourceFormat;
  const diagnostics = (section.diagnostics && typeof section.diagnostics === 'object'
    ? section.diagnostics
    : {}) as Record<string, unknown>;
  const paths = section.copybookPaths;
  const cobc = (section.cobc && typeof section.cobc === 'object' ? section.cobc : {}) as Record<string, unknown>;
  return {
    sourceFormat: format === 'fixed' || format === 'free' || format === 'auto' ? format : defaultSettings.sourceFormat,
    checkSequenceArea: typeof diagnostics.checkSequenceArea === 'boolean'
      ? diagnostics.checkSequenceArea
      : defaultSettings.checkSequenceArea,
    copybookPaths: Array.isArray(paths) ? paths.filter((p): p is string => typeof p === 'string') : [],
    cobcEnabled: typeof cobc.enabled === 'boolean' ? cobc.enabled : defaultSettings.cobcEnabled,
    cobcPath: typeof cobc.path === 'string' && cobc.path.trim() !== '' ? cobc.path : defaultSettings.cobcPath,
  };
}
