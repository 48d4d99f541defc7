import { Webhook } from "lucide-react";
import type { Metadata } from "next";
import { LocalTime } from "@/components/local-time";
import { Badge } from "@/components/ui/badge";
import {
  Table,
  TableBody,
  TableCard,
  TableCell,
  TableEmpty,
  TableHeaderRow,
  TableRow,
} from "@/components/ui/table";
import { getDb } from "@/db/index";
import { can } from "@/lib/auth/permissions";
import { requirePermission } from "@/lib/auth/viewer";
import { TEST_EVENT, WEBHOOK_EVENT_LABELS, type WebhookEvent } from "@/lib/webhooks/events";
import { listWebhookDeliveries, listWebhookEndpoints } from "@/lib/webhooks/index";
import { CreateWebhook } from "./_components/create-webhook";
import { WebhookControls } from "./_components/webhook-controls";

export const metadata: Metadata = { title: "Webhooks · Admin" };

const eventLabel = (event: string) =>
  event === TEST_EVENT ? "Test" : (WEBHOOK_EVENT_LABELS[event as WebhookEvent] ?? event);

function DeliveryStatus({ status, attempts }: { status: string; attempts: number }) {
  if (status === "succeeded") return <Badge variant="success">Delivered</Badge>;
  if (status === "failed") return <Badge variant="danger">Failed</Badge>;
  return <Badge variant="muted">{attempts > 0 ? "Retrying" : "Sending"}</Badge>;
}

/** Endpoints other systems registered for Parley's events, and the log of what was sent to them. */
export default async function AdminWebhooksPage() {
  const viewer = await requirePermission("admin:view");
  const db = getDb();
  const [endpoints, deliveries] = await Promise.all([listWebhookEndpoints(db), listWebhookDeliveries(db)]);
  const canManage = can(viewer.role, "settings:manage");
  return (
    <div className="space-y-8">
      <section aria-labelledby="webhooks-heading" className="space-y-4">
        <h2 id="webhooks-heading" className="sr-only">
          Webhooks
        </h2>
        <p className="max-w-3xl text-sm text-muted-foreground">
          Parley POSTs an event to each endpoint that subscribed to it: signed with the endpoint's secret (
          <code>Parley-Signature</code> over <code>Parley-Timestamp</code> and the body), with the event id as{" "}
          <code>Idempotency-Key</code>, and retried with backoff for about an hour and a half while the
          endpoint does not answer 2xx.
        </p>
        {canManage && <CreateWebhook />}
        <TableCard>
          {endpoints.length === 0 ? (
            <TableEmpty icon={Webhook} title="No webhooks yet" />
          ) : (
            <div className="relative overflow-x-auto">
              <Table aria-label="Webhooks">
                <TableHeaderRow columns={["Endpoint", "Events", "State", "Failed (24 h)", "Added"]} actions />
                <TableBody>
                  {endpoints.map((endpoint) => (
                    <TableRow key={endpoint.id} data-testid="webhook-row">
                      <TableCell className="max-w-md">
                        <span className="block break-all font-mono text-xs">{endpoint.url}</span>
                        {endpoint.description && (
                          <span className="block text-xs text-muted-foreground">{endpoint.description}</span>
                        )}
                      </TableCell>
                      <TableCell>
                        <span className="flex flex-wrap gap-1">
                          {endpoint.events.map((event) => (
                            <Badge key={event} variant="outline">
                              {eventLabel(event)}
                            </Badge>
                          ))}
                        </span>
                      </TableCell>
                      <TableCell>
                        {endpoint.active ? (
                          <Badge variant="success">On</Badge>
                        ) : (
                          <Badge variant="muted">Off</Badge>
                        )}
                      </TableCell>
                      <TableCell>{Number(endpoint.failed_last_day ?? 0).toLocaleString("en-US")}</TableCell>
                      <TableCell className="whitespace-nowrap">
                        <LocalTime value={endpoint.created_at} />
                      </TableCell>
                      <TableCell>
                        {canManage && (
                          <WebhookControls id={endpoint.id} url={endpoint.url} active={endpoint.active} />
                        )}
                      </TableCell>
                    </TableRow>
                  ))}
                </TableBody>
              </Table>
            </div>
          )}
        </TableCard>
      </section>

      <section aria-labelledby="deliveries-heading" className="space-y-3">
        <h2 id="deliveries-heading" className="font-medium">
          Delivery log
        </h2>
        <TableCard>
          {deliveries.length === 0 ? (
            <TableEmpty icon={Webhook} title="Nothing sent yet" />
          ) : (
            <div className="relative overflow-x-auto">
              <Table aria-label="Delivery log">
                <TableHeaderRow
                  columns={["Event", "Endpoint", "Status", "Attempts", "Last answer", "Time", "Event id"]}
                />
                <TableBody>
                  {deliveries.map((d) => (
                    <TableRow key={d.id} data-testid="webhook-delivery">
                      <TableCell className="whitespace-nowrap">{eventLabel(d.event_type)}</TableCell>
                      <TableCell className="max-w-xs break-all font-mono text-xs">{d.url}</TableCell>
                      <TableCell>
                        <DeliveryStatus status={d.status} attempts={d.attempts} />
                      </TableCell>
                      <TableCell>{d.attempts}</TableCell>
                      <TableCell className="max-w-sm text-xs">
                        {d.last_status !== null && <span className="block">HTTP {d.last_status}</span>}
                        {d.last_error && (
                          <span className="block break-words text-destructive">{d.last_error}</span>
                        )}
                        {d.last_duration_ms !== null && (
                          <span className="block text-muted-foreground">{d.last_duration_ms} ms</span>
                        )}
                      </TableCell>
                      <TableCell className="whitespace-nowrap">
                        <LocalTime value={d.last_attempt_at ?? d.created_at} />
                      </TableCell>
                      <TableCell className="font-mono text-xs">{d.id}</TableCell>
                    </TableRow>
                  ))}
                </TableBody>
              </Table>
            </div>
          )}
        </TableCard>
      </section>
    </div>
  );
}
