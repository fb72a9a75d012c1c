/**
 * Operations read from the served /openapi.json, and requests built from them: path and query
 * parameters filled from a table of ids, and a minimal body generated from the request schema.
 * The tenancy and scope suites use it, so a new route is covered as soon as it is documented.
 */
type Schema = {
  $ref?: string;
  type?: string | string[];
  enum?: unknown[];
  const?: unknown;
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  anyOf?: Schema[];
  oneOf?: Schema[];
  allOf?: Schema[];
  format?: string;
  minimum?: number;
  minItems?: number;
  example?: unknown;
  default?: unknown;
};
type Parameter = { in: 'path' | 'query' | 'header'; name: string; required?: boolean };
type Operation = {
  security?: Record<string, string[]>[];
  parameters?: Parameter[];
  requestBody?: { content: Record<string, { schema: Schema }> };
};
export type Doc = { paths: Record<string, Record<string, Operation>>; components: { schemas: Record<string, Schema> } };

export type Op = {
  method: string;
  path: string;
  security: 'apiKey' | 'operatorToken' | 'none';
  params: Parameter[];
  bodyType?: string;
  bodySchema?: Schema;
};

export function operations(doc: Doc): Op[] {
  return Object.entries(doc.paths).flatMap(([path, ops]) =>
    Object.entries(ops).map(([method, op]) => {
      const scheme = op.security?.[0] ? Object.keys(op.security[0])[0] : undefined;
      const [bodyType, media] = Object.entries(op.requestBody?.content ?? {})[0] ?? [];
      return {
        method: method.toUpperCase(),
        path,
        security: scheme === 'apiKey' ? 'apiKey' : scheme === 'operatorToken' ? 'operatorToken' : 'none',
        params: op.parameters ?? [],
        bodyType,
        bodySchema: media?.schema,
      } satisfies Op;
    }),
  );
}

/** A minimal instance of `schema`: required properties only, ids taken from `ids` by property name. */
export function exampleOf(doc: Doc, schema: Schema | undefined, ids: Record<string, string>, name = ''): unknown {
  if (!schema) return undefined;
  if (schema.$ref) return exampleOf(doc, doc.components.schemas[schema.$ref.split('/').pop()!], ids, name);
  if (name in ids) return ids[name];
  if (schema.example !== undefined) return schema.example;
  if (schema.const !== undefined) return schema.const;
  if (schema.enum) return schema.enum[0];
  const alt = schema.oneOf?.[0] ?? schema.anyOf?.[0] ?? schema.allOf?.[0];
  if (alt) return exampleOf(doc, alt, ids, name);
  const type = Array.isArray(schema.type) ? schema.type.find((t) => t !== 'null') : schema.type;
  switch (type) {
    case 'object': {
      const out: Record<string, unknown> = {};
      for (const key of schema.required ?? []) out[key] = exampleOf(doc, schema.properties?.[key], ids, key);
      return out;
    }
    case 'array':
      return Array.from({ length: schema.minItems ?? 0 }, () => exampleOf(doc, schema.items, ids));
    case 'integer':
    case 'number':
      return schema.minimum ?? 1;
    case 'boolean':
      return true;
    case 'string':
      return schema.format === 'date-time'
        ? new Date().toISOString()
        : schema.format === 'email'
          ? 'a@example.com'
          : 'x';
    default:
      return {};
  }
}

/** The path with `{name}` replaced from `ids` ('x' for names the table lacks). */
export function fillPath(path: string, ids: Record<string, string>): string {
  return path.replace(/\{(\w+)\}/g, (_, name: string) => encodeURIComponent(ids[name] ?? 'x'));
}
