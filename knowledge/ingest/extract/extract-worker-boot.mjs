// Entry of the extraction worker thread. The extraction code is TypeScript, loaded through tsx as
// the CLI does, so that a checkout runs without a build step.
import { register } from 'tsx/esm/api';

register();
await import('./extract-worker.ts');
