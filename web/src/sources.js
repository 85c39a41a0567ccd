// Where model, labels and wasm bytes come from: memory (ArrayBuffer, typed arrays), Blob/File,
// URLs (fetched, with progress) and, in Node, files. Each source failure is a LitecnnError that
// names the source and what was being read.

import { LitecnnError, describe, fail } from './errors.js';
import { isNode, platform } from './platform.js';

// onProgress(loadedBytes, totalBytes) after every chunk; totalBytes is the Content-Length, or
// 0 while unknown (a compressed or chunked response), and equals loadedBytes on the last call.
export async function fetchBytes(url, onProgress, what = 'model') {
  let response;
  try {
    response = await fetch(url);
  } catch (cause) {
    throw new LitecnnError(`could not fetch ${what} from ${url}: ${cause.message}`, 'InvalidArgument', {
      cause,
    });
  }
  if (!response.ok) {
    fail(`could not fetch ${what} from ${url}: HTTP ${response.status} ${response.statusText}`);
  }
  const length = Number(response.headers.get('content-length'));
  // Compressed responses stream more bytes than Content-Length says: then the total is unknown.
  const encoded = (response.headers.get('content-encoding') ?? 'identity') !== 'identity';
  const total = Number.isSafeInteger(length) && length > 0 && !encoded ? length : 0;
  if (!onProgress || !response.body) {
    const bytes = new Uint8Array(await response.arrayBuffer());
    onProgress?.(bytes.length, bytes.length);
    return bytes;
  }
  const chunks = [];
  let loaded = 0;
  const reader = response.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    loaded += value.length;
    if (loaded < total) onProgress(loaded, total);
  }
  const bytes = new Uint8Array(loaded);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.length;
  }
  onProgress(loaded, loaded);
  return bytes;
}

// Node only. index.js is the browser entry: files need node.js, which `import 'litecnn'`
// resolves to in Node (a direct import of web/src/index.js bypasses it).
function checkNodeEntry(what) {
  if (platform.readFile === null) {
    fail(`cannot read ${what} from the file system: import litecnn by its package name in Node, whose ` +
      `"node" export (web/src/node.js) adds file access; web/src/index.js is the browser entry`,
    'FailedPrecondition');
  }
}

export async function readNodeFile(pathOrUrl, shown, what = 'model', code = 'InvalidArgument') {
  checkNodeEntry(`${what} file ${shown}`);
  try {
    return await platform.readFile(pathOrUrl);
  } catch (cause) {
    throw new LitecnnError(`cannot read ${what} file ${shown}: ${cause.message}`, code, { cause });
  }
}

// URLs that Node's fetch() can read (file: URLs go through the file system).
export const FETCHED_PROTOCOLS = ['http:', 'https:', 'data:', 'blob:'];

export function parseUrl(text) {
  try {
    return new URL(text);
  } catch {
    return null;
  }
}

/** The bytes of an ArrayBuffer or typed array source, not copied; null for other sources. */
export function inMemoryView(source) {
  if (source instanceof ArrayBuffer) return new Uint8Array(source);
  if (ArrayBuffer.isView(source)) return new Uint8Array(source.buffer, source.byteOffset, source.byteLength);
  return null;
}

/**
 * The bytes of any source loadModel takes. In-memory sources are copied before the first
 * await, so the caller may reuse its buffer as soon as loadModel() returns its promise. `what`
 * names the thing in messages ('model', 'labels').
 */
export async function sourceBytes(source, onProgress, what = 'model') {
  const whole = (bytes) => {
    onProgress?.(bytes.length, bytes.length);
    return bytes;
  };
  const view = inMemoryView(source);
  if (view !== null) return whole(view.slice());
  // Blob and File (drag-and-drop, <input type=file>); Node 20 has Blob too.
  if (typeof Blob === 'function' && source instanceof Blob) {
    return whole(new Uint8Array(await source.arrayBuffer()));
  }
  if (source instanceof URL) {
    return isNode && source.protocol === 'file:'
      ? whole(await readNodeFile(source, source.href, what))
      : fetchBytes(source, onProgress, what);
  }
  if (typeof source !== 'string') {
    fail(`loadModel: ${what} source must be a Uint8Array, ArrayBuffer, Blob, URL or string, got ${describe(source)}`);
  }
  if (source === '') fail(`loadModel: ${what} source is an empty string`);
  if (!isNode) return fetchBytes(source, onProgress, what);  // relative URLs resolve against the page

  // Node: an existing file wins (a Windows path like C:\m.onnx also parses as a URL), then a
  // fetchable URL; anything else is reported as neither.
  checkNodeEntry(`${what} "${source}"`);
  const info = await platform.stat(source);
  if (info?.isFile()) return whole(await readNodeFile(source, source, what));
  const url = parseUrl(source);
  if (url?.protocol === 'file:') return whole(await readNodeFile(url, source, what));
  if (url !== null && FETCHED_PROTOCOLS.includes(url.protocol)) {
    return fetchBytes(url, onProgress, what);
  }
  fail(
    info?.isDirectory()
      ? `loadModel: ${source} is a directory, not a ${what} file`
      : `loadModel: ${what} "${source}" is neither an existing file nor a fetchable http(s)/data URL`,
  );
}

/**
 * Class names from a labels file's text: one per line, trimmed; trailing blank lines dropped
 * (a final newline is not a class). The demo reads a user's labels file with this too.
 */
export function parseLabels(text) {
  const lines = text.split(/\r?\n/).map((l) => l.trim());
  while (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  return lines;
}

// options.labels: an array of class names, or a source (as for models) of a text file with one
// name per line.
export async function loadLabels(labels) {
  if (labels === undefined || labels === null) return null;
  if (Array.isArray(labels)) {
    const bad = labels.findIndex((l) => typeof l !== 'string');
    if (bad >= 0) fail(`loadModel: options.labels[${bad}] must be a string, got ${describe(labels[bad])}`);
    return Object.freeze([...labels]);
  }
  const bytes = await sourceBytes(labels, undefined, 'labels');
  return Object.freeze(parseLabels(new TextDecoder().decode(bytes)));
}
