import type { Metadata } from "next";
import { PageHeader } from "@/components/page-header";
import { Table } from "@/components/ui/table";
import { openApiDocument } from "@/lib/api/openapi";
import { requireViewer } from "@/lib/auth/viewer";

export const metadata: Metadata = { title: "API" };

// Rendered from the same OpenAPI object /api/v1/openapi.json serves, so it cannot drift. Signed-in
// staff only (like every console page); integrators without an account read the JSON document.

type Schema = {
  $ref?: string;
  type?: string | string[];
  enum?: unknown[];
  const?: unknown;
  description?: string;
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  oneOf?: Schema[];
  anyOf?: Schema[];
  format?: string;
};
type Example = { summary?: string; value: unknown };
type Parameter = { name: string; in: string; description?: string; schema: Schema };
type OperationDoc = {
  summary: string;
  description?: string;
  "x-parley-scope"?: string | null;
  parameters?: Parameter[];
  requestBody?: {
    description?: string;
    content: Record<string, { schema?: Schema; examples?: Record<string, Example> } | undefined>;
  };
  responses: Record<
    string,
    {
      description: string;
      content?: { "application/json": { schema?: Schema; examples?: Record<string, Example> } };
    }
  >;
};

const refName = (ref: string) => ref.split("/").at(-1) ?? ref;

function typeLabel(s: Schema | undefined): string {
  if (!s) return "any";
  if (s.$ref) return refName(s.$ref);
  if (s.const !== undefined) return JSON.stringify(s.const);
  if (s.enum) return s.enum.map((v) => JSON.stringify(v)).join(" | ");
  if (s.oneOf ?? s.anyOf) return (s.oneOf ?? s.anyOf ?? []).map(typeLabel).join(" | ");
  if (s.type === "array") return `${typeLabel(s.items)}[]`;
  const type = Array.isArray(s.type) ? s.type.join(" | ") : (s.type ?? "object");
  return s.format ? `${type} (${s.format})` : type;
}

export default async function ApiDocsPage() {
  await requireViewer();
  const doc = openApiDocument() as {
    info: { description: string };
    paths: Record<string, Record<string, OperationDoc>>;
    components: { schemas: Record<string, Schema> };
  };
  return (
    <div className="mx-auto max-w-screen-lg px-4 py-6 sm:px-6">
      <PageHeader
        title="Parley API"
        description={
          <>
            {doc.info.description} Machine-readable:{" "}
            <a className="underline" href="/api/v1/openapi.json">
              /api/v1/openapi.json
            </a>{" "}
            (OpenAPI 3.1).
          </>
        }
      />
      <nav aria-label="Endpoints" className="mb-6 rounded-lg border border-border bg-background p-4 text-sm">
        <ul className="space-y-1 font-mono">
          {Object.entries(doc.paths).flatMap(([path, methods]) =>
            Object.entries(methods).map(([method, op]) => (
              <li key={`${method} ${path}`}>
                <a className="hover:underline" href={`#${method}-${path}`}>
                  {method.toUpperCase()} {path}
                </a>{" "}
                <span className="font-sans text-muted-foreground">— {op.summary}</span>
              </li>
            )),
          )}
        </ul>
      </nav>
      {Object.entries(doc.paths).flatMap(([path, methods]) =>
        Object.entries(methods).map(([method, op]) => (
          <section
            key={`${method} ${path}`}
            id={`${method}-${path}`}
            className="mb-6 rounded-lg border border-border bg-background p-4"
          >
            <h2 className="font-mono text-base font-semibold">
              {method.toUpperCase()} {path}
            </h2>
            <p className="mt-1 text-sm">{op.summary}</p>
            {op.description && <p className="mt-2 text-sm text-muted-foreground">{op.description}</p>}
            <p className="mt-2 text-sm">
              Authentication:{" "}
              {op["x-parley-scope"] ? (
                <>
                  API key with the <code>{op["x-parley-scope"]}</code> scope (
                  <code>Authorization: Bearer …</code>)
                </>
              ) : (
                "none"
              )}
            </p>
            {op.parameters && op.parameters.length > 0 && (
              <>
                <h3 className="mt-3 text-sm font-medium">Parameters</h3>
                <ul className="mt-1 space-y-1 text-sm">
                  {op.parameters.map((p) => (
                    <li key={p.name}>
                      <code>{p.name}</code>{" "}
                      <span className="text-muted-foreground">
                        ({p.in}, {typeLabel(p.schema)})
                      </span>
                      {p.description ? ` — ${p.description}` : ""}
                    </li>
                  ))}
                </ul>
              </>
            )}
            {op.requestBody?.content["application/json"] && (
              <>
                <h3 className="mt-3 text-sm font-medium">
                  Request body: <code>{typeLabel(op.requestBody.content["application/json"].schema)}</code>
                </h3>
                <Examples examples={op.requestBody.content["application/json"].examples} />
              </>
            )}
            {op.requestBody && Object.keys(op.requestBody.content).some((t) => t !== "application/json") && (
              <p className="mt-3 text-sm">
                {op.requestBody.description ?? "A file"}, sent as{" "}
                {Object.keys(op.requestBody.content)
                  .filter((t) => t !== "application/json")
                  .map((t, i) => (
                    <span key={t}>
                      {i > 0 && ", "}
                      <code>{t}</code>
                    </span>
                  ))}
                .
              </p>
            )}
            <h3 className="mt-3 text-sm font-medium">Responses</h3>
            <ul className="mt-1 space-y-2 text-sm">
              {Object.entries(op.responses).map(([status, r]) => (
                <li key={status}>
                  <code>{status}</code> {r.description}{" "}
                  {r.content?.["application/json"].schema && (
                    <span className="text-muted-foreground">
                      ({typeLabel(r.content["application/json"].schema)})
                    </span>
                  )}
                  <Examples examples={r.content?.["application/json"].examples} />
                </li>
              ))}
            </ul>
          </section>
        )),
      )}
      <h2 className="mb-3 mt-8 text-lg font-semibold">Schemas</h2>
      {Object.entries(doc.components.schemas).map(([name, schema]) => (
        <section
          key={name}
          id={`schema-${name}`}
          className="mb-4 rounded-lg border border-border bg-background p-4"
        >
          <h3 className="font-mono text-sm font-semibold">{name}</h3>
          {schema.description && <p className="mt-1 text-sm text-muted-foreground">{schema.description}</p>}
          {schema.properties ? (
            <Table className="mt-2 text-left" aria-label={`${name} fields`}>
              <thead className="text-xs text-muted-foreground">
                <tr>
                  <th className="py-1 pr-3 font-medium">Field</th>
                  <th className="py-1 pr-3 font-medium">Type</th>
                  <th className="py-1 font-medium">Description</th>
                </tr>
              </thead>
              <tbody>
                {Object.entries(schema.properties).map(([field, s]) => (
                  <tr key={field} className="border-t border-border align-top">
                    <td className="py-1 pr-3 font-mono">
                      {field}
                      {schema.required?.includes(field) ? "" : "?"}
                    </td>
                    <td className="py-1 pr-3 font-mono text-muted-foreground">{typeLabel(s)}</td>
                    <td className="py-1">{s.description}</td>
                  </tr>
                ))}
              </tbody>
            </Table>
          ) : (
            <p className="mt-1 font-mono text-sm text-muted-foreground">{typeLabel(schema)}</p>
          )}
        </section>
      ))}
    </div>
  );
}

function Examples({ examples }: { examples?: Record<string, Example> }) {
  if (!examples) return null;
  return (
    <div className="mt-1 space-y-1">
      {Object.entries(examples).map(([name, e]) => (
        <details key={name} className="text-sm">
          <summary className="cursor-pointer text-muted-foreground">Example: {e.summary ?? name}</summary>
          <pre className="mt-1 overflow-x-auto rounded bg-surface p-2 text-xs">
            {JSON.stringify(e.value, null, 2)}
          </pre>
        </details>
      ))}
    </div>
  );
}
