// Entry of the intent-training worker thread. The training code is TypeScript, loaded through tsx
// as the CLI does, so that a checkout runs without a build step.
import { register } from 'tsx/esm/api';

register();
await import('./intent-training-worker.ts');
