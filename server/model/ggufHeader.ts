/**
 * Our own reader of a GGUF file's header (metadata and tensor table), run
 * before node-llama-cpp or llama.cpp sees the file.
 *
 * A model file is untrusted input (a download, a path a setting names), and
 * the readers behind us trust its counts: node-llama-cpp allocated a 2^33-byte
 * array for a 115-byte file (a V8 fatal error) and looped over 2^62 tensors;
 * llama.cpp aborts the process on `block_count = 100000` or `head_count = 0`.
 * So every count and length here is bounded by the bytes left in the file
 * before anything is allocated, the header is read through a small window,
 * and the model's shape must be sane (layers, heads, embedding, vocabulary).
 * Throws a `ModelError` naming what is wrong; never allocates more than the
 * file could hold.
 */
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { ModelError } from './errors';

export type GgufValue = number | bigint | boolean | string | GgufArray;

/** Arrays keep their length and element type; the values only for short ones (the host needs none of the long ones). */
export interface GgufArray {
  type: number;
  length: number;
  values: GgufValue[] | undefined;
}

export interface GgufTensor {
  name: string;
  dimensions: number[];
  ggmlType: number;
  /** Absolute offset of the tensor's data in the file. */
  fileOffset: number;
}

export interface GgufHeader {
  version: number;
  metadata: Map<string, GgufValue>;
  tensors: GgufTensor[];
  /** Where tensor data starts (after the header, aligned). */
  dataOffset: number;
}

/** Bounds a real model stays far within. */
export const ggufLimits = {
  /** Longest key or string value: llama.cpp's vocabularies hold tokens of a few hundred bytes. */
  maxStringBytes: 1 << 20,
  maxDimensions: 4,
  maxLayers: 512,
  maxHeads: 1024,
  maxEmbedding: 1 << 17,
  maxVocabulary: 4_000_000,
  maxContext: 1 << 24,
  /** Array values kept in memory (longer arrays are checked and skipped). */
  keptArrayValues: 16,
} as const;

const typeSizes: Record<number, number> = { 0: 1, 1: 1, 2: 2, 3: 2, 4: 4, 5: 4, 6: 4, 7: 1, 10: 8, 11: 8, 12: 8 };
const stringType = 8;
const arrayType = 9;

/** Reads and checks the header of the GGUF file at `path` (already known to exist and to start with the magic). */
export function readGgufHeader(path: string): GgufHeader {
  const fd = openSync(path, 'r');
  try {
    const size = fstatSync(fd).size;
    const reader = new WindowReader(fd, size, path);
    const header = parseHeader(reader, path);
    checkShape(header, path);
    return header;
  } finally {
    closeSync(fd);
  }
}

function parseHeader(reader: WindowReader, path: string): GgufHeader {
  const damaged = (what: string) => new ModelError('truncated', `The model file ${path} is damaged or not a model: ${what}. Download it again.`);
  if (reader.bytes(4).toString('latin1') !== 'GGUF') throw new ModelError('notGguf', `The file ${path} is not a GGUF model.`);
  const version = reader.u32();
  if (version < 2 || version > 3) throw new ModelError('notGguf', `The file ${path} is GGUF version ${version}; only versions 2 and 3 are supported.`);
  // Each tensor entry takes at least 24 bytes and each key-value pair at least 13: counts beyond that cannot be true.
  const tensorCount = reader.count(24, 'tensor count');
  const kvCount = reader.count(13, 'metadata count');
  const metadata = new Map<string, GgufValue>();
  for (let i = 0; i < kvCount; i++) {
    const key = reader.string('metadata key');
    const type = reader.u32();
    metadata.set(key, readValue(reader, type, 0));
  }
  const tensors: GgufTensor[] = [];
  for (let i = 0; i < tensorCount; i++) {
    const name = reader.string('tensor name');
    const dimensionCount = reader.u32();
    if (dimensionCount < 1 || dimensionCount > ggufLimits.maxDimensions) throw damaged(`tensor ${JSON.stringify(name.slice(0, 64))} has ${dimensionCount} dimensions`);
    const dimensions: number[] = [];
    for (let d = 0; d < dimensionCount; d++) {
      const value = reader.u64();
      if (value < 1n || value > BigInt(reader.size) * 8n) throw damaged(`tensor ${JSON.stringify(name.slice(0, 64))} has a dimension of ${value}`);
      dimensions.push(Number(value));
    }
    const ggmlType = reader.u32();
    const offset = reader.u64();
    // Past the end of the file is "incomplete" (checked by the caller against the data size); past 2^53 is nonsense.
    if (offset > BigInt(Number.MAX_SAFE_INTEGER)) throw damaged(`tensor ${JSON.stringify(name.slice(0, 64))} starts at byte ${offset}`);
    tensors.push({ name, dimensions, ggmlType, fileOffset: Number(offset) });
  }
  const alignmentValue = metadata.get('general.alignment');
  const alignment = typeof alignmentValue === 'number' && alignmentValue > 0 && alignmentValue <= 1 << 16 ? alignmentValue : 32;
  const dataOffset = Math.ceil(reader.position / alignment) * alignment;
  for (const tensor of tensors) tensor.fileOffset += dataOffset;
  return { version, metadata, tensors, dataOffset };
}

function readValue(reader: WindowReader, type: number, depth: number): GgufValue {
  switch (type) {
    case 0: return reader.bytes(1).readUInt8(0);
    case 1: return reader.bytes(1).readInt8(0);
    case 2: return reader.bytes(2).readUInt16LE(0);
    case 3: return reader.bytes(2).readInt16LE(0);
    case 4: return reader.u32();
    case 5: return reader.bytes(4).readInt32LE(0);
    case 6: return reader.bytes(4).readFloatLE(0);
    case 7: return reader.bytes(1).readUInt8(0) !== 0;
    case stringType: return reader.string('metadata string');
    case 10: return toNumber(reader.u64());
    case 11: return toNumber(reader.bytes(8).readBigInt64LE(0));
    case 12: return reader.bytes(8).readDoubleLE(0);
    case arrayType: {
      if (depth > 0) throw reader.damaged('an array nested in an array');
      const elementType = reader.u32();
      const elementSize = elementType === stringType ? 8 : typeSizes[elementType];
      if (elementSize === undefined) throw reader.damaged(`an array of unknown type ${elementType}`);
      const length = reader.count(elementSize, 'array length');
      const values: GgufValue[] | undefined = length <= ggufLimits.keptArrayValues ? [] : undefined;
      if (elementType !== stringType) {
        // Fixed-size elements: skipped (or kept when few) without allocating for the count.
        if (values) for (let i = 0; i < length; i++) values.push(readValue(reader, elementType, depth + 1));
        else reader.skip(length * elementSize);
      } else {
        for (let i = 0; i < length; i++) {
          const value = reader.string('array string');
          values?.push(value);
        }
      }
      return { type: elementType, length, values };
    }
    default:
      throw reader.damaged(`a metadata value of unknown type ${type}`);
  }
}

function toNumber(value: bigint): number | bigint {
  return value <= BigInt(Number.MAX_SAFE_INTEGER) && value >= -BigInt(Number.MAX_SAFE_INTEGER) ? Number(value) : value;
}

/** The figures llama.cpp builds its graph from must be sane, or it aborts the process instead of failing. */
function checkShape(header: GgufHeader, path: string): void {
  const architecture = header.metadata.get('general.architecture');
  if (typeof architecture !== 'string' || architecture === '') {
    throw new ModelError('unsupportedModel', `The model file ${path} does not say its architecture (general.architecture).`);
  }
  const bad = (what: string) => new ModelError('unsupportedModel', `The model file ${path} cannot be right: ${what}. It is not loaded.`);
  const figure = (key: string) => {
    const value = header.metadata.get(`${architecture}.${key}`);
    if (value === undefined) return undefined;
    if (typeof value === 'number') return value;
    if (typeof value === 'object' && value.values?.every((v) => typeof v === 'number')) return Math.max(...(value.values as number[]));
    throw bad(`${architecture}.${key} is not a number`);
  };
  const within = (key: string, low: number, high: number) => {
    const value = figure(key);
    if (value !== undefined && !(Number.isInteger(value) && value >= low && value <= high)) throw bad(`${architecture}.${key} is ${value} (expected ${low} to ${high})`);
    return value;
  };
  within('block_count', 1, ggufLimits.maxLayers);
  const heads = within('attention.head_count', 1, ggufLimits.maxHeads);
  const kvHeads = within('attention.head_count_kv', 1, ggufLimits.maxHeads);
  if (heads !== undefined && kvHeads !== undefined && heads % kvHeads !== 0) throw bad(`${heads} attention heads cannot share ${kvHeads} key-value heads`);
  within('embedding_length', 1, ggufLimits.maxEmbedding);
  within('context_length', 1, ggufLimits.maxContext);
  const tokens = header.metadata.get('tokenizer.ggml.tokens');
  if (tokens !== undefined) {
    if (typeof tokens !== 'object' || tokens.type !== stringType) throw bad('tokenizer.ggml.tokens is not a list of strings');
    if (tokens.length < 1 || tokens.length > ggufLimits.maxVocabulary) throw bad(`a vocabulary of ${tokens.length} tokens`);
    for (const key of ['bos', 'eos', 'fim_pre', 'fim_suf', 'fim_mid', 'padding', 'unknown']) {
      const id = header.metadata.get(`tokenizer.ggml.${key}_token_id`);
      if (typeof id === 'number' && (id < 0 || id >= tokens.length)) throw bad(`tokenizer.ggml.${key}_token_id ${id} is outside the vocabulary of ${tokens.length}`);
    }
  }
}

/** Reads a file through a 1 MiB window; every length is checked against the bytes left first. */
class WindowReader {
  private window = Buffer.alloc(0);
  private windowStart = 0;
  position = 0;

  constructor(private readonly fd: number, readonly size: number, private readonly path: string) {}

  damaged(what: string): ModelError {
    return new ModelError('truncated', `The model file ${this.path} is damaged or not a model: ${what} at byte ${this.position}. Download it again.`);
  }

  get left(): number {
    return this.size - this.position;
  }

  bytes(length: number): Buffer {
    if (length > this.left) throw this.damaged(`${length} bytes needed where ${this.left} are left`);
    const offset = this.position - this.windowStart;
    if (offset < 0 || offset + length > this.window.length) {
      const want = Math.min(Math.max(length, 1 << 20), this.left);
      const buffer = Buffer.alloc(want);
      let filled = 0;
      while (filled < want) {
        const read = readSync(this.fd, buffer, filled, want - filled, this.position + filled);
        if (read === 0) throw this.damaged('the file ended early');
        filled += read;
      }
      this.window = buffer;
      this.windowStart = this.position;
    }
    const start = this.position - this.windowStart;
    this.position += length;
    return this.window.subarray(start, start + length);
  }

  skip(length: number): void {
    if (length > this.left) throw this.damaged(`${length} bytes needed where ${this.left} are left`);
    this.position += length;
  }

  u32(): number {
    return this.bytes(4).readUInt32LE(0);
  }

  u64(): bigint {
    return this.bytes(8).readBigUInt64LE(0);
  }

  /** A count of items of at least `itemBytes` each: more than the rest of the file could hold is damage. */
  count(itemBytes: number, what: string): number {
    const value = this.u64();
    if (value > BigInt(Math.floor(this.left / Math.max(1, itemBytes)))) throw this.damaged(`${what} ${value} exceeds what ${this.left} bytes can hold`);
    return Number(value);
  }

  string(what: string): string {
    const length = this.u64();
    if (length > BigInt(Math.min(this.left, ggufLimits.maxStringBytes))) throw this.damaged(`${what} of ${length} bytes`);
    return this.bytes(Number(length)).toString('utf8');
  }
}
