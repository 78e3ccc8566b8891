import Type from 'typebox';

/** An answer without a body, described for the API reference. */
export const Empty = (description: string) => Type.Unsafe<undefined>({ type: 'null', description });

/** A 204 answer. */
export const NoContent = Empty('Done; no content');

/** An answer that is not JSON (a script, CSV, text), sent as is rather than serialized. */
export const RawContent = (mediaType: string, description: string) => ({
  description,
  content: { [mediaType]: { schema: Type.Unsafe<unknown>({ type: 'string' }) } },
});
