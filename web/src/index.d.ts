// Type declarations for litecnn's JavaScript API (web/src/index.js). Face detection is a
// separate entry point, litecnn/blazeface: web/src/blazeface.d.ts.

/** Element types a Tensor can hold (litecnn's dtype names). Model inputs are float32. */
export type DType = 'float32' | 'float64' | 'int8' | 'uint8' | 'int32' | 'int64';

export type TypedArray =
  | Float32Array
  | Float64Array
  | Int8Array
  | Uint8Array
  | Int32Array
  | BigInt64Array;

/**
 * Status code names shared with the C++ runtime (StatusCode in src/core/status.h). 'Internal'
 * is an engine bug (a C++ exception or a wasm trap), reported with what failed; the module
 * keeps working.
 */
export type ErrorCode =
  | 'InvalidModel'
  | 'Unsupported'
  | 'InvalidArgument'
  | 'LimitExceeded'
  | 'FailedPrecondition'
  | 'Internal';

/** Every error litecnn throws or rejects with. */
export class LitecnnError extends Error {
  constructor(message: string, code?: ErrorCode, options?: ErrorOptions);
  readonly name: 'LitecnnError';
  readonly code: ErrorCode;
}

/** A dense, row-major tensor: data plus dims in ONNX order (NCHW for images). */
export class Tensor<T extends TypedArray = Float32Array> {
  /** Throws LitecnnError unless data is a typed array with exactly product(dims) elements. */
  constructor(data: T, dims: readonly number[]);
  readonly data: T;
  readonly dims: readonly number[];
  readonly dtype: DType;
  /** Number of elements. */
  readonly size: number;
}

export interface TensorInfo {
  readonly name: string;
  readonly dtype: DType | string;
  /** -1 marks a symbolic dimension, or an output axis whose length each run decides (NonMaxSuppression). */
  readonly dims: readonly number[];
}

/** What run() accepts for each input: a Tensor or any {data, dims} pair. */
export type Feed = Tensor | { data: Float32Array; dims: readonly number[] };

/** One class of classify()'s result. */
export interface Classification {
  readonly index: number;
  /** From the labels (options.labels, else the model's), else `class <index>`. */
  readonly label: string;
  /** Probability: softmax of the output, unless the output already sums to 1 in [0, 1]. */
  readonly score: number;
}

export interface ClassifyOptions extends Omit<ImageToTensorOptions, 'width' | 'height' | 'layout'> {
  /** How many classes, best first (default 5). */
  topK?: number;
  /** Class names by index (default: the labels given to loadModel). */
  labels?: readonly string[] | null;
  /** Which output holds the class scores (default: the first). */
  output?: string;
}

/** The input an image feeds (Model.imageInput): where classify() puts an image. */
export interface ImageInputInfo {
  readonly name: string;
  /** 'nchw' for [N, 3, H, W], 'nhwc' for [N, H, W, 3] (a 3 in both places reads as NCHW). */
  readonly layout: 'nchw' | 'nhwc';
  /** As runs take it (symbolic sides are fixed at load: LoadOptions.inputDims, else 1). */
  readonly width: number;
  readonly height: number;
}

export interface Model {
  readonly inputs: readonly TensorInfo[];
  readonly outputs: readonly TensorInfo[];
  /** The single RGB image input ([N, 3, H, W] or [N, H, W, 3]), or null if the model has none. */
  readonly imageInput: ImageInputInfo | null;
  /** Class names given to loadModel (options.labels), or null. */
  readonly labels: readonly string[] | null;
  /** Threads each run uses (LoadOptions.numThreads, clamped to what the build has). */
  readonly numThreads: number;
  /** The executed nodes after fusion, with their microkernels and multiply-adds per run. */
  summary(): { name: string; op: string; kernel: string; macs: number }[];
  /** True after dispose(). */
  readonly disposed: boolean;
  /**
   * Runs the model on one value per input. Output data are JS-owned copies. Concurrent calls
   * on one model are queued and run in call order. Rejects with LitecnnError on an unknown or
   * missing input, wrong dims, a data length that does not match dims, non-Float32Array data,
   * or after dispose().
   */
  run(feeds: Record<string, Feed>): Promise<Record<string, Tensor<TypedArray>>>;
  /**
   * Like run(), and times every executed node (after fusion: a 'Conv' includes its fused
   * activation or residual add). `kernel` names the microkernel(s) the node ran ('' for plain
   * loops).
   */
  profile(feeds: Record<string, Feed>): Promise<{
    outputs: Record<string, Tensor<TypedArray>>;
    layers: { name: string; op: string; kernel: string; ms: number }[];
  }>;
  /**
   * Runs a classifier on an image (resized to the model's input by imageToTensor; image options
   * such as mean/std/fit go in options), a Tensor for its single input, or a feeds object, and
   * resolves to the topK classes, best first.
   */
  classify(input: ImageInput | Feed | Record<string, Feed>, options?: ClassifyOptions): Promise<Classification[]>;
  /**
   * Frees the model's wasm memory; later run() calls reject. Idempotent. A model dropped
   * without dispose() is freed when garbage-collected (FinalizationRegistry), at an unknown time.
   */
  dispose(): void;
}

/** A model's bytes, a Blob or File, a URL to fetch, or (in Node) a file path or file: URL. */
export type ModelSource = Uint8Array | ArrayBuffer | ArrayBufferView | Blob | URL | string;

export interface LoadOptions {
  /** Fixes symbolic input dims at load time: {inputName: dims}. Others become 1. */
  inputDims?: Record<string, readonly number[]>;
  /**
   * Graph inputs that also have an initializer (exports of IR version 3 list every weight as an
   * input) to keep as inputs of run(), with the initializer's dims. Unlisted, such an input is
   * a constant of the model, and feeding it to run() is an error that names this option.
   */
  feedInitializers?: readonly string[];
  /**
   * Called as the model's bytes arrive: totalBytes is the Content-Length (0 while unknown) and
   * equals loadedBytes on the last call. In-memory, Blob and file sources report once.
   */
  onProgress?: (loadedBytes: number, totalBytes: number) => void;
  /** Class names: an array, or a text file (path in Node) / URL / Blob with one per line. */
  labels?: readonly string[] | ModelSource;
  /**
   * Threads each run uses (default and maximum: backendInfo().threads; 1 without the threads
   * build). Outputs are bit-identical for every count. Model.numThreads says what it got.
   */
  numThreads?: number;
  /**
   * Sizes the model may have, checked before anything is allocated for it; a model over one
   * is refused with code 'LimitExceeded' naming the limit, the value and the maximum.
   */
  limits?: Limits;
}

/** Positive integers; an absent one keeps its default. */
export interface Limits {
  /** Bytes of the .onnx file. Default 512 MiB. */
  maxModelBytes?: number;
  /** Nodes in the graph. Default 20000. */
  maxNodes?: number;
  /** Rank of any tensor (initializers, inputs, computed values). Default 8. */
  maxRank?: number;
  /** Elements of any one tensor. Default 2^26 (67108864: 256 MiB of float32). */
  maxTensorElements?: number;
  /** Bytes of activation buffers reserved for a run. Default 1 GiB. */
  maxPlannedBytes?: number;
}

/** Loads an ONNX model. Rejects with LitecnnError (code 'InvalidModel' etc.) on failure. */
export function loadModel(source: ModelSource, options?: LoadOptions): Promise<Model>;

/** The three wasm builds of the same sources, best first. */
export type Backend = 'simd-threads' | 'simd' | 'plain';

export interface InitOptions {
  /** Force a build (default: the best this environment runs; see backendInfo). */
  backend?: Backend;
  /** Threads of the 'simd-threads' build, the caller's included (1-16; default: cores, at most 4). */
  numThreads?: number;
  /** Where the chosen build's .wasm is when a bundler moved it (a URL, or a path in Node). */
  wasmUrl?: string | URL;
}

/**
 * Instantiates the shared wasm module ahead of the first loadModel(); only the first call's
 * options count. Rejects with code 'Unsupported' when a forced backend cannot run here.
 */
export function init(options?: InitOptions): Promise<unknown>;

export interface BackendInfo {
  /**
   * 'simd-threads' where SharedArrayBuffer is allowed (Node; cross-origin isolated pages) and
   * SIMD validates; else 'simd'; 'plain' on engines without WebAssembly SIMD.
   */
  readonly build: Backend;
  /** Threads a model uses by default (the pool of the threads build, else 1). */
  readonly threads: number;
  readonly simd: boolean;
  readonly crossOriginIsolated: boolean;
}

/** Which build runs (instantiates the module if needed). */
export function backendInfo(): Promise<BackendInfo>;

/** Whether this engine supports WebAssembly SIMD128 (without it litecnn runs its plain build). */
export function simdSupported(): boolean;

/** Size in bytes of the shared wasm memory (it grows, never shrinks; freed space is reused). */
export function wasmMemoryBytes(): Promise<number>;

/** The wasm memory size and the bytes allocated in it now (back to its level after dispose). */
export function memoryStats(): Promise<{ wasmMemoryBytes: number; heapBytesInUse: number }>;

/** RGBA bytes (row stride 4 * width): ImageData, or a decoder's {data, width, height} in Node. */
export interface RgbaPixels {
  readonly data: Uint8Array | Uint8ClampedArray;
  readonly width: number;
  readonly height: number;
}

/** What imageToTensor() accepts: RGBA pixels, or a browser image source drawn onto a canvas. */
export type ImageInput =
  | RgbaPixels
  | ImageData
  | HTMLImageElement
  | HTMLCanvasElement
  | HTMLVideoElement
  | ImageBitmap
  | OffscreenCanvas
  | VideoFrame;

export interface ImageToTensorOptions {
  /** Target size in pixels, 1..16384 (the model's input W and H). Required. */
  width: number;
  height: number;
  /**
   * 'stretch' (default): the whole image to width x height; 'crop': the centred crop with the
   * target's aspect ratio, then resized; 'letterbox': fitted inside, centred, the rest `fill`.
   */
  fit?: 'stretch' | 'crop' | 'letterbox';
  /** Output channel order (alpha is dropped). Default 'rgb'. */
  channels?: 'rgb' | 'bgr';
  /** 'nchw' (default): dims [1, 3, H, W]; 'nhwc': dims [1, H, W, 3]. */
  layout?: 'nchw' | 'nhwc';
  /** Multiplies the byte value x (0..255) first. Default 1 / 255. */
  scale?: number;
  /** y = (x * scale - mean[c]) / std[c], per output channel (in `channels` order). */
  mean?: readonly [number, number, number];
  /** Default [1, 1, 1]; no zeros. */
  std?: readonly [number, number, number];
  /** The plain form y = x * scale + offset (not with mean/std). Default 0. */
  offset?: number | readonly [number, number, number];
  /** Letterbox padding in pixel units (0..255), per output channel or for all. Default 0. */
  fill?: number | readonly [number, number, number];
}

/** Where the image landed: tensor x = image x * scaleX + offsetX (likewise y). */
export interface LetterboxInfo {
  readonly scaleX: number;
  readonly scaleY: number;
  readonly offsetX: number;
  readonly offsetY: number;
  /** The part of the tensor covered by the image. */
  readonly width: number;
  readonly height: number;
}

/**
 * Resizes (bilinear, half-pixel centres), normalises and lays out an image as a float32 input
 * tensor, in one pass in wasm. Rejects with LitecnnError (code 'InvalidArgument') on invalid
 * options or image. With fit 'letterbox' the tensor carries `letterbox`, to map boxes back.
 */
export function imageToTensor(
  image: ImageInput,
  options: ImageToTensorOptions,
): Promise<Tensor<Float32Array> & { readonly letterbox?: LetterboxInfo }>;
