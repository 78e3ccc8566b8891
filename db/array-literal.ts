/**
 * A Postgres array literal ('{"a","b",NULL}'), to pass an array as one text parameter cast in SQL
 * (`${arrayLiteral(xs)}::text[]`): both drivers send it the same way, where they serialize
 * JavaScript arrays differently. Every element is quoted, so any text survives; null is NULL.
 */
export function arrayLiteral(values: readonly (string | number | null)[]): string {
  return `{${values
    .map((value) =>
      value === null ? 'NULL' : `"${String(value).replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`,
    )
    .join(',')}}`;
}
