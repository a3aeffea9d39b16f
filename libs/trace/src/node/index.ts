// @traceroot/trace/node: the Node-only additions (node:crypto SHA-256, merkletreejs). Never
// imported by browser code; everything portable is in '@traceroot/trace'.
export { nodeDisclosureCodec } from './node-disclosure-codec.js';
export { nodeRfc6962, nodeSha256 } from './node-sha256.js';
export { buildMerkleTreeJs, type MerkleTreeJsLog } from './merkletreejs.js';
