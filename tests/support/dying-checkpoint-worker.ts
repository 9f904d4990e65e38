/** Stands in for the checkpoint worker in tests: it reports ready, then dies, as a crashed worker would. */
import { parentPort } from 'node:worker_threads';
import type { CheckpointMessage } from '../../db/checkpoint-messages';

const ready: CheckpointMessage = { type: 'ready' };
parentPort?.postMessage(ready);
setTimeout(() => process.exit(3), 50);
