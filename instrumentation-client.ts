// Runs in the browser before hydration. Zod probes whether it may compile validators with
// `new Function` the first time it checks an object; Parley's CSP allows no eval, so the probe was
// refused and reported as a violation on every page. Jitless mode skips the probe (same results).
import { z } from "zod";

z.config({ jitless: true });
