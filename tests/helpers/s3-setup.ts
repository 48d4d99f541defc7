import type { TestProject } from "vitest/node";
import { S3_TEST_BUCKET } from "./blobs.ts";
import { startS3Server } from "./s3-server.ts";

// Global setup of the "s3" project (vitest.config.ts): the file-touching integration tests run a
// second time with every blob store on an S3-compatible server started here on 127.0.0.1.
export default async function setup(project: TestProject) {
  const server = await startS3Server({ buckets: [S3_TEST_BUCKET] });
  project.provide("s3Endpoint", server.endpoint);
  return async () => {
    const reached = server.requests.length;
    await server.close();
    // A positive sign that the run used the object store, not a folder by mistake.
    if (reached === 0) throw new Error("The s3 project's tests never reached the S3 server");
  };
}
