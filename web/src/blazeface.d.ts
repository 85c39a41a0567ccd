// Type declarations for litecnn/blazeface (web/src/blazeface.js): BlazeFace face detection.

import type { Feed, ImageInput, Model, Tensor } from './index.js';

/** Side of the model's square input (128). */
export const BLAZEFACE_INPUT_SIZE: number;

/** Keypoint names in the model's order; left/right are the person's own. */
export const BLAZEFACE_KEYPOINTS: readonly [
  'rightEye', 'leftEye', 'noseTip', 'mouthCenter', 'rightEarTragion', 'leftEarTragion',
];

export interface Box {
  /** Top-left corner. */
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface Keypoint {
  name: (typeof BLAZEFACE_KEYPOINTS)[number];
  x: number;
  y: number;
}

export interface Detection {
  /** Sigmoid of the score logit, 0..1. */
  score: number;
  box: Box;
  keypoints: Keypoint[];
}

/** Maps image pixels to tensor pixels: tensor x = image x * scaleX + offsetX (likewise y). */
export interface ImageTransform {
  scaleX: number;
  scaleY: number;
  offsetX: number;
  offsetY: number;
}

export interface NmsOptions {
  /** Boxes overlapping the kept one by more than this IoU are merged or dropped (0.3). */
  iouThreshold?: number;
  /**
   * 'weighted' (default, MediaPipe's blending): the kept box and keypoints become the
   * score-weighted mean of its group; 'hard': plain IoU suppression.
   */
  method?: 'weighted' | 'hard';
  /** Stop after this many (default Infinity). */
  maxDetections?: number;
}

export interface FaceOptions {
  /** Minimum sigmoid score (default 0.5). */
  scoreThreshold?: number;
  iouThreshold?: number;
  nms?: 'weighted' | 'hard';
  maxFaces?: number;
}

/** The 896 anchor centres [x0, y0, x1, y1, ...] in [0, 1], in the model's output order. */
export function blazefaceAnchors(): Float32Array;

/**
 * Raw outputs (896 score logits, 896 x 16 box values, anchor order) to detections with a score
 * >= scoreThreshold, coordinates normalised to [0, 1] of the input. No suppression.
 */
export function decodeBlazeFace(
  scores: ArrayLike<number>,
  boxes: Float32Array,
  options?: { scoreThreshold?: number },
): Detection[];

/** Intersection over union of two boxes. */
export function iou(a: Box, b: Box): number;

/** Non-max suppression, best first. */
export function nonMaxSuppression<T extends { score: number; box: Box; keypoints?: Keypoint[] }>(
  detections: readonly T[],
  options?: NmsOptions,
): T[];

/**
 * A BlazeFace model's outputs (found by dims) to faces, best first; in image pixels when
 * transform is given, else normalised to the 128x128 input.
 */
export function facesFromOutputs(
  outputs: Record<string, Feed | Tensor>,
  options?: FaceOptions & { transform?: ImageTransform },
): Detection[];

/** The 128x128 [-1, 1] NHWC input for an image, and its image-to-tensor mapping. */
export function blazefaceInput(
  image: ImageInput,
  options?: { fit?: 'letterbox' | 'stretch' },
): Promise<{ input: Tensor<Float32Array>; transform: ImageTransform }>;

/** Detects faces; boxes and keypoints in the image's pixels, best first. */
export function detectFaces(
  model: Model,
  image: ImageInput,
  options?: FaceOptions & { fit?: 'letterbox' | 'stretch' },
): Promise<Detection[]>;
