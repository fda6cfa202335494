/**
 * Writes tiny but complete GGUF files for the model host's tests: a LLaMA
 * model with seeded random weights and a byte-level BPE vocabulary with FIM
 * tokens, small enough to write in milliseconds, real enough for llama.cpp
 * to load and generate from. Variants make the bad files the host must
 * reject (foreign architecture, missing tensors).
 *
 * Not the project's GGUF writer (models/pipeline owns that): only what the
 * tests need, F32 only.
 */
import { writeFileSync } from 'node:fs';

export interface TinyGgufOptions {
  /** `general.architecture` (default `llama`). */
  architecture?: string;
  /** Leave these tensors out (to make llama.cpp reject the file). */
  omitTensors?: string[];
  /** Write FIM token ids into the metadata (default true). */
  fimMetadata?: boolean;
  contextLength?: number;
  seed?: number;
}

const embedding = 64;
const heads = 4;
const layers = 2;
const feedForward = 128;

export const specialTokens = ['<|endoftext|>', '<|fim_prefix|>', '<|fim_suffix|>', '<|fim_middle|>'] as const;
/** 256 byte tokens, a few merges, then the special tokens. */
export function tinyVocabulary(): { tokens: string[]; merges: string[]; types: number[] } {
  const byteText = bytesToUnicode();
  const tokens = byteText.slice();
  const merges: string[] = [];
  // A few merges so that tokens longer than one byte exist (token healing needs them).
  const pairs: [string, string][] = [['M', 'O'], ['MO', 'V'], ['MOV', 'E'], ['P', 'I'], ['PI', 'C'], ['E', 'N'], ['EN', 'D'], ['Ġ', 'Ġ'], ['ĠĠ', 'ĠĠ']];
  for (const [left, right] of pairs) {
    merges.push(`${left} ${right}`);
    tokens.push(left + right);
  }
  const types = tokens.map(() => 1);
  for (const special of specialTokens) {
    tokens.push(special);
    types.push(3); // control
  }
  return { tokens, merges, types };
}

export function writeTinyGguf(path: string, options: TinyGgufOptions = {}): void {
  const architecture = options.architecture ?? 'llama';
  const { tokens, merges, types } = tinyVocabulary();
  const vocab = tokens.length;
  const special = (name: string) => tokens.indexOf(name);
  const kv: [string, Value][] = [
    ['general.architecture', str(architecture)],
    ['general.name', str('tiny-test-model')],
    ['general.alignment', u32(32)],
    [`${architecture}.context_length`, u32(options.contextLength ?? 256)],
    [`${architecture}.embedding_length`, u32(embedding)],
    [`${architecture}.block_count`, u32(layers)],
    [`${architecture}.feed_forward_length`, u32(feedForward)],
    [`${architecture}.attention.head_count`, u32(heads)],
    [`${architecture}.attention.head_count_kv`, u32(heads)],
    [`${architecture}.rope.dimension_count`, u32(embedding / heads)],
    [`${architecture}.attention.layer_norm_rms_epsilon`, f32(1e-5)],
    [`${architecture}.vocab_size`, u32(vocab)],
    ['tokenizer.ggml.model', str('gpt2')],
    ['tokenizer.ggml.pre', str('trillion')],
    ['tokenizer.ggml.tokens', strArray(tokens)],
    ['tokenizer.ggml.token_type', i32Array(types)],
    ['tokenizer.ggml.merges', strArray(merges)],
    ['tokenizer.ggml.bos_token_id', u32(special('<|endoftext|>'))],
    ['tokenizer.ggml.eos_token_id', u32(special('<|endoftext|>'))],
    ['tokenizer.ggml.add_bos_token', bool(false)],
  ];
  if (options.fimMetadata ?? true) {
    kv.push(['tokenizer.ggml.fim_pre_token_id', u32(special('<|fim_prefix|>'))]);
    kv.push(['tokenizer.ggml.fim_suf_token_id', u32(special('<|fim_suffix|>'))]);
    kv.push(['tokenizer.ggml.fim_mid_token_id', u32(special('<|fim_middle|>'))]);
  }

  const random = mulberry32(options.seed ?? 1);
  const tensors: { name: string; dims: number[]; data: Float32Array }[] = [];
  const add = (name: string, dims: number[], fill: () => number) => {
    if (options.omitTensors?.includes(name)) return;
    const data = new Float32Array(dims.reduce((a, b) => a * b, 1));
    for (let i = 0; i < data.length; i++) data[i] = fill();
    tensors.push({ name, dims, data });
  };
  const weight = () => (random() - 0.5) * 0.2;
  const one = () => 1;
  add('token_embd.weight', [embedding, vocab], weight);
  for (let layer = 0; layer < layers; layer++) {
    add(`blk.${layer}.attn_norm.weight`, [embedding], one);
    add(`blk.${layer}.attn_q.weight`, [embedding, embedding], weight);
    add(`blk.${layer}.attn_k.weight`, [embedding, embedding], weight);
    add(`blk.${layer}.attn_v.weight`, [embedding, embedding], weight);
    add(`blk.${layer}.attn_output.weight`, [embedding, embedding], weight);
    add(`blk.${layer}.ffn_norm.weight`, [embedding], one);
    add(`blk.${layer}.ffn_gate.weight`, [embedding, feedForward], weight);
    add(`blk.${layer}.ffn_up.weight`, [embedding, feedForward], weight);
    add(`blk.${layer}.ffn_down.weight`, [feedForward, embedding], weight);
  }
  add('output_norm.weight', [embedding], one);
  add('output.weight', [embedding, vocab], weight);
  // Special tokens get zero output rows: their logit is 0 while the best of 256
  // random logits is positive, so greedy decoding never ends early by chance.
  const output = tensors.find((t) => t.name === 'output.weight');
  if (output) for (const name of specialTokens) output.data.fill(0, special(name) * embedding, (special(name) + 1) * embedding);

  const parts: Buffer[] = [];
  const header = Buffer.alloc(24);
  header.write('GGUF', 0, 'latin1');
  header.writeUInt32LE(3, 4);
  header.writeBigUInt64LE(BigInt(tensors.length), 8);
  header.writeBigUInt64LE(BigInt(kv.length), 16);
  parts.push(header);
  for (const [key, value] of kv) parts.push(string(key), value);
  let offset = 0;
  for (const tensor of tensors) {
    const info = Buffer.alloc(4 + tensor.dims.length * 8 + 4 + 8);
    info.writeUInt32LE(tensor.dims.length, 0);
    tensor.dims.forEach((d, i) => info.writeBigUInt64LE(BigInt(d), 4 + i * 8));
    info.writeUInt32LE(0, 4 + tensor.dims.length * 8); // F32
    info.writeBigUInt64LE(BigInt(offset), 8 + tensor.dims.length * 8);
    parts.push(string(tensor.name), info);
    offset += align(tensor.data.byteLength);
  }
  const headerLength = parts.reduce((n, b) => n + b.length, 0);
  parts.push(Buffer.alloc(align(headerLength) - headerLength));
  for (const tensor of tensors) {
    const bytes = Buffer.from(tensor.data.buffer, tensor.data.byteOffset, tensor.data.byteLength);
    parts.push(bytes, Buffer.alloc(align(bytes.length) - bytes.length));
  }
  writeFileSync(path, Buffer.concat(parts));
}

type Value = Buffer;
const align = (n: number) => Math.ceil(n / 32) * 32;
function string(text: string): Buffer {
  const bytes = Buffer.from(text, 'utf8');
  const length = Buffer.alloc(8);
  length.writeBigUInt64LE(BigInt(bytes.length));
  return Buffer.concat([length, bytes]);
}
function typed(type: number, body: Buffer): Buffer {
  const tag = Buffer.alloc(4);
  tag.writeUInt32LE(type);
  return Buffer.concat([tag, body]);
}
const u32 = (n: number) => { const b = Buffer.alloc(4); b.writeUInt32LE(n); return typed(4, b); };
const f32 = (n: number) => { const b = Buffer.alloc(4); b.writeFloatLE(n); return typed(6, b); };
const bool = (v: boolean) => typed(7, Buffer.from([v ? 1 : 0]));
const str = (s: string) => typed(8, string(s));
function array(elementType: number, items: Buffer[]): Buffer {
  const head = Buffer.alloc(12);
  head.writeUInt32LE(elementType, 0);
  head.writeBigUInt64LE(BigInt(items.length), 4);
  return typed(9, Buffer.concat([head, ...items]));
}
const strArray = (items: string[]) => array(8, items.map(string));
const i32Array = (items: number[]) => array(5, items.map((n) => { const b = Buffer.alloc(4); b.writeInt32LE(n); return b; }));

/** GPT-2's byte-to-character table: byte-level BPE vocabularies spell bytes this way. */
function bytesToUnicode(): string[] {
  const table: string[] = [];
  let next = 256;
  for (let byte = 0; byte < 256; byte++) {
    const printable = (byte >= 33 && byte <= 126) || (byte >= 161 && byte <= 172) || (byte >= 174 && byte <= 255);
    table[byte] = String.fromCodePoint(printable ? byte : next++);
  }
  return table;
}

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
