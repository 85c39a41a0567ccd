// litecnn/blazeface in Node (the "node" condition of package.json's exports): the same module,
// with the Node entry loaded first so that the engine it shares can read files.
import './node.js';

export * from './blazeface.js';
