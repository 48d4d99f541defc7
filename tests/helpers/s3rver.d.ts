// The npm s3rver package ships no types; what tests/helpers/s3-server.ts uses of it.
declare module "s3rver" {
  import type { IncomingMessage, ServerResponse } from "node:http";

  type Options = {
    address?: string;
    port?: number;
    silent?: boolean;
    directory?: string;
    configureBuckets?: { name: string; configs: string[] }[];
  };
  export default class S3rver {
    constructor(options: Options);
    configureBuckets(): Promise<void>;
    getMiddleware(): (req: IncomingMessage, res: ServerResponse) => void;
  }
}
