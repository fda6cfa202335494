/**
 * Checks a model file before llama.cpp sees it, so that a missing, foreign or
 * truncated file gets a message a user can act on instead of llama.cpp's
 * generic "failed to load model", and reads the facts the host needs from
 * its metadata (architecture, fill-in-the-middle token ids, parameters).
 */
import { open, stat } from 'node:fs/promises';
import { ModelError, messageOf } from './errors';
import { type GgufHeader, readGgufHeader } from './ggufHeader';
import type { NodeLlamaCpp } from './nodeLlamaCpp';

export interface GgufFacts {
  path: string;
  bytes: number;
  /** `general.architecture`, e.g. `llama`, `qwen2`, `starcoder2`. */
  architecture: string;
  /** `general.name` when the file has one. */
  name: string | undefined;
  /** Sum of the element counts of all tensors. */
  parameters: number;
  /** `<arch>.context_length`: the context the model was trained with. */
  trainContextLength: number | undefined;
  /** FIM token ids from `tokenizer.ggml.fim_{pre,suf,mid}_token_id`, when recorded. */
  fim: { prefix: number; suffix: number; middle: number } | undefined;
  /** `cobol_assist.fim_order` ("psm" or "spm"), which the project's own models record; other files leave it out. */
  fimOrder: 'psm' | 'spm' | undefined;
}

const magic = 'GGUF';

/** Bytes per block and elements per block of the GGML types model files use. */
const blockLayout: Record<number, [bytes: number, elements: number]> = {
  0: [4, 1], // F32
  1: [2, 1], // F16
  2: [18, 32], // Q4_0
  3: [20, 32], // Q4_1
  6: [22, 32], // Q5_0
  7: [24, 32], // Q5_1
  8: [34, 32], // Q8_0
  10: [84, 256], // Q2_K
  11: [110, 256], // Q3_K
  12: [144, 256], // Q4_K
  13: [176, 256], // Q5_K
  14: [210, 256], // Q6_K
  15: [292, 256], // Q8_K
  30: [2, 1], // BF16
};

/**
 * Throws a `ModelError` unless `path` is a complete, sane GGUF file; returns
 * its facts. The header is read by our own bounded reader (ggufHeader.ts):
 * node-llama-cpp's reader trusts the file's counts.
 * `_llamaCpp` is kept for callers that pass the runtime; the check needs none.
 */
export async function inspectGgufFile(path: string, _llamaCpp?: NodeLlamaCpp): Promise<GgufFacts> {
  const bytes = await fileSize(path);
  await checkMagic(path, bytes);
  let header: GgufHeader;
  try {
    header = readGgufHeader(path);
  } catch (error) {
    if (error instanceof ModelError) throw error;
    throw new ModelError('truncated', `The model file ${path} is damaged or incomplete: its header cannot be read (${messageOf(error)}). Download it again.`, { cause: error });
  }
  let parameters = 0;
  let end = 0;
  for (const tensor of header.tensors) {
    const elements = tensor.dimensions.reduce<number>((product, d) => product * d, 1);
    parameters += elements;
    const layout = blockLayout[tensor.ggmlType];
    const size = layout ? Math.ceil(elements / layout[1]) * layout[0] : 1;
    end = Math.max(end, tensor.fileOffset + size);
  }
  if (bytes < end) {
    throw new ModelError('truncated', `The model file ${path} is incomplete: ${bytes} bytes where its tensors need ${end}. Download it again.`);
  }
  const metadata = header.metadata;
  const text = (key: string) => {
    const value = metadata.get(key);
    return typeof value === 'string' ? value : undefined;
  };
  const integer = (key: string) => {
    const value = metadata.get(key);
    return typeof value === 'number' && Number.isInteger(value) ? value : undefined;
  };
  const architecture = text('general.architecture') ?? 'unknown';
  const [pre, suf, mid] = ['pre', 'suf', 'mid'].map((part) => integer(`tokenizer.ggml.fim_${part}_token_id`));
  return {
    path,
    bytes,
    architecture,
    name: text('general.name'),
    parameters,
    trainContextLength: integer(`${architecture}.context_length`),
    fim: pre !== undefined && suf !== undefined && mid !== undefined ? { prefix: pre, suffix: suf, middle: mid } : undefined,
    fimOrder: fimOrderOf(metadata.get('cobol_assist.fim_order')),
  };
}

function fimOrderOf(value: unknown): 'psm' | 'spm' | undefined {
  return value === 'psm' || value === 'spm' ? value : undefined;
}

async function fileSize(path: string): Promise<number> {
  try {
    const info = await stat(path);
    if (!info.isFile()) throw new ModelError('notGguf', `The model path ${path} is not a file.`);
    return info.size;
  } catch (error) {
    if (error instanceof ModelError) throw error;
    throw new ModelError('fileMissing', `The model file ${path} does not exist or cannot be read. Check cobolAssist.model.path, or pick a model with "COBOL Assist: Select Model".`, { cause: error });
  }
}

async function checkMagic(path: string, bytes: number): Promise<void> {
  const head = Buffer.alloc(8);
  const file = await open(path, 'r');
  try {
    await file.read(head, 0, 8, 0);
  } finally {
    await file.close();
  }
  if (bytes < 8 || head.toString('latin1', 0, 4) !== magic) {
    throw new ModelError('notGguf', `The file ${path} is not a GGUF model (it does not start with "GGUF"). COBOL Assist runs GGUF models only.`);
  }
  const version = head.readUInt32LE(4);
  if (version < 2 || version > 3) {
    throw new ModelError('notGguf', `The file ${path} is GGUF version ${version}; only versions 2 and 3 are supported.`);
  }
}
