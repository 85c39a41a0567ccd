// A module Worker that classifies chelsea.png off the main thread: the image arrives as an
// ImageBitmap (decoded from a fetched Blob, no DOM in a worker), which litecnn draws on an
// OffscreenCanvas. Posts {results} or {error} back to tests/browser/pages/worker.html.
import { loadModel, simdSupported } from '/web/src/index.js';

const OPTIONS = { topK: 5, mean: [0.485, 0.456, 0.406], std: [0.229, 0.224, 0.225] };

try {
  const blob = await (await fetch('/models/images/chelsea.png')).blob();
  const bitmap = await createImageBitmap(blob);
  const model = await loadModel('/models/generated/squeezenet1_1.onnx');
  const top = await model.classify(bitmap, OPTIONS);
  model.dispose();
  postMessage({ results: { simd: simdSupported(), bitmap: top, size: [bitmap.width, bitmap.height] } });
} catch (error) {
  postMessage({ error: `${error?.name}: ${error?.message}\n${error?.stack ?? ''}` });
}
