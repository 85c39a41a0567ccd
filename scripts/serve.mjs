// `npm start`'s last step: serves the webcam demo (web/demo/) on localhost with the COOP/COEP
// headers that wasm threads need, and prints its URL. The demo loads its models from
// models/generated/ and the engine from web/dist/, which `npm start` builds first.
//   node scripts/serve.mjs [--port 8080]    (a busy port falls back to a free one)
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

import { REPO_ROOT, startStaticServer } from './static_server.mjs';

const { values } = parseArgs({ options: { port: { type: 'string', default: '8080' } } });
const port = Number(values.port);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`serve: --port must be an integer from 0 to 65535, got ${values.port}`);
  process.exit(2);
}
for (const needed of ['web/dist/litecnn.wasm', 'models/generated/blazeface.onnx']) {
  if (!existsSync(join(REPO_ROOT, needed))) {
    console.error(`serve: ${needed} is missing: run "npm start" (it builds the engine and prepares the models)`);
    process.exit(1);
  }
}

let server;
try {
  server = await startStaticServer({ port, crossOriginIsolated: true });
} catch (error) {
  if (error.code !== 'EADDRINUSE') throw error;
  console.log(`port ${port} is busy; using a free one`);
  server = await startStaticServer({ port: 0, crossOriginIsolated: true });
}
console.log(`litecnn webcam demo: ${server.url}web/demo/`);
console.log('(serving the repository on 127.0.0.1 with COOP/COEP headers; Ctrl+C to stop)');
