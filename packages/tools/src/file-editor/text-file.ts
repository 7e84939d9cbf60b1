import { open, readFile, stat } from 'node:fs/promises';
import { extname } from 'node:path';
import { errorMessage, writeFileAtomic } from '@troupe/core';
import { EditorError, fileValidationFailed } from './editor-error.js';

export const MAX_FILE_SIZE_MB = 10;
const MAX_FILE_SIZE = MAX_FILE_SIZE_MB * 1024 * 1024;
export const BINARY_SNIFF_BYTES = 8192;

export const IMAGE_MIME_TYPES: Readonly<Record<string, string>> = {
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.bmp': 'image/bmp',
};

export function imageMimeType(path: string): string | undefined {
  return IMAGE_MIME_TYPES[extname(path).toLowerCase()];
}

/**
 * A text file as the editor works on it: newlines normalized to `\n`, plus what it takes to write it back the way
 * it was (Latin-1 stays Latin-1 when it can, CRLF stays CRLF).
 */
export interface TextFile {
  readonly text: string;
  readonly encoding: 'utf8' | 'latin1';
  readonly lineEnding: '\n' | '\r\n';
}

/** Binary or too large files are refused; images are exempt from the binary check. */
export async function validateFile(path: string): Promise<void> {
  const info = await stat(path);
  if (!info.isFile()) return;
  if (info.size > MAX_FILE_SIZE) {
    throw fileValidationFailed(
      path,
      `File is too large (${(info.size / 1024 / 1024).toFixed(1)}MB). Maximum allowed size is ${MAX_FILE_SIZE_MB}MB.`,
    );
  }
  if (imageMimeType(path) === undefined && looksBinary(await readHead(path))) {
    throw fileValidationFailed(path, 'File appears to be binary and this file type cannot be read or edited by this tool.');
  }
}

/** NUL bytes, or bytes that are neither UTF-8 nor mostly printable, mean binary. */
export function looksBinary(sample: Uint8Array): boolean {
  if (sample.length === 0) return false;
  if (sample.includes(0)) return true;
  if (isUtf8(sample, true)) return false;
  let control = 0;
  for (const byte of sample) {
    if ((byte < 0x20 && ![0x09, 0x0a, 0x0c, 0x0d, 0x08, 0x1b].includes(byte)) || byte === 0x7f) control += 1;
  }
  return control / sample.length > 0.3;
}

/** Whether `bytes` is valid UTF-8; `truncated` tolerates a sequence cut off at the end of a sample. */
function isUtf8(bytes: Uint8Array, truncated = false): boolean {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes, { stream: truncated });
    return true;
  } catch {
    return false;
  }
}

async function readHead(path: string): Promise<Uint8Array> {
  const handle = await open(path, 'r');
  try {
    const buffer = new Uint8Array(BINARY_SNIFF_BYTES);
    const { bytesRead } = await handle.read(buffer, 0, BINARY_SNIFF_BYTES, 0);
    return buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

export async function readTextFile(path: string): Promise<TextFile> {
  await validateFile(path);
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (error) {
    throw new EditorError(`Ran into ${errorMessage(error)} while trying to read ${path}`);
  }
  const encoding = isUtf8(bytes) ? 'utf8' : 'latin1';
  const raw = encoding === 'utf8' ? new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes) : bytes.toString('latin1');
  const lineEnding = raw.includes('\r\n') ? '\r\n' : '\n';
  return { text: lineEnding === '\r\n' ? raw.replace(/\r\n/g, '\n') : raw, encoding, lineEnding };
}

/** Writes `text` atomically, in the original file's encoding and line endings when there was one. */
export async function writeTextFile(path: string, text: string, original?: TextFile): Promise<void> {
  const withEndings = original?.lineEnding === '\r\n' ? text.replace(/\n/g, '\r\n') : text;
  // Latin-1 cannot hold every character; a file that gains one becomes UTF-8.
  const encoding = original?.encoding === 'latin1' && /^[\u0000-\u00ff]*$/.test(withEndings) ? 'latin1' : 'utf8';
  try {
    await writeFileAtomic(path, Buffer.from(withEndings, encoding));
  } catch (error) {
    throw new EditorError(`Ran into ${errorMessage(error)} while trying to write to ${path}`);
  }
}

