import Type, { type TSchema } from 'typebox';

/** A timestamp: a Date in handlers, ISO 8601 on the wire (Fastify's serializer converts it). */
export const DateTime = Type.Unsafe<Date>({ type: 'string', format: 'date-time' });

export const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);

export const UuidParams = Type.Object({ id: Type.String({ format: 'uuid' }) });
