import { expect, test } from "vitest";
import { metrics, metricsResponse, routeLabel } from "./metrics.ts";

const TOKEN = "a-metrics-token-of-some-length";

test("route labels keep the pattern, not the ids, so the label set stays small", () => {
  expect(routeLabel("/conversations?open=0b7f2f3e-1c2d-4e5f-8a9b-0c1d2e3f4a5b")).toBe("/conversations");
  expect(routeLabel("/api/conversations/0b7f2f3e-1c2d-4e5f-8a9b-0c1d2e3f4a5b/recording/audio")).toBe(
    "/api/conversations/[id]/recording",
  );
  expect(routeLabel("/api/exports/12345/download")).toBe("/api/exports/[id]/download");
  expect(routeLabel("/_next/static/chunks/abc.js")).toBe("/_next");
  expect(routeLabel("/")).toBe("/");
});

test("the metrics endpoint is off without a token and refuses a wrong one", async () => {
  expect((await metricsResponse("Bearer anything", undefined)).status).toBe(404);
  expect((await metricsResponse(undefined, TOKEN)).status).toBe(401);
  expect((await metricsResponse("Bearer not-the-token", TOKEN)).status).toBe(401);
  expect((await metricsResponse(TOKEN, TOKEN)).status).toBe(401); // the scheme is required
});

test("with the token it answers in Prometheus's text format, pool and HTTP metrics included", async () => {
  const m = metrics();
  m.httpDuration.observe({ route: "/conversations", method: "GET", status: "2xx" }, 0.042);
  m.pools.set("test-pool", { totalCount: 3, idleCount: 1, waitingCount: 2 });
  const res = await metricsResponse(`Bearer ${TOKEN}`, TOKEN);
  expect(res.status).toBe(200);
  expect(res.contentType).toMatch(/^text\/plain; version=0\.0\.4/);
  expect(res.body).toMatch(
    /parley_http_request_duration_seconds_bucket\{le="0\.05",route="\/conversations",method="GET",status="2xx"\} 1/,
  );
  expect(res.body).toContain('parley_db_pool_connections{pool="test-pool",state="waiting"} 2');
  expect(res.body).toContain("process_cpu_user_seconds_total");
});
