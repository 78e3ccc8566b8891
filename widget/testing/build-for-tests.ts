import { buildWidget } from '../build.ts';

/** Vitest global setup of the widget-dist project: a fresh production build in widget/dist. */
export default async function setup(): Promise<void> {
  await buildWidget();
}
