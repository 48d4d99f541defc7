import { execFileSync, spawnSync } from "node:child_process";
import { appendFileSync, chmodSync, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { freePort } from "../../scripts/processes.ts";

// A primary and a streaming replica on Debian's PostgreSQL 15 (the oldest version Parley supports;
// the embedded 18 ships no pg_basebackup), both on 127.0.0.1, in a folder under /tmp. Each step
// runs as the `postgres` user (the tests run as root, as CI does).

const BIN = "/usr/lib/postgresql/15/bin";

export type ReplicaPair = {
  primaryUrl: string;
  replicaUrl: string;
  stop: () => void;
};

function asPostgres(command: string, args: string[]) {
  const result = spawnSync("runuser", ["-u", "postgres", "--", path.join(BIN, command), ...args], {
    encoding: "utf8",
  });
  if (result.status !== 0) {
    throw new Error(`${command} ${args.join(" ")} failed:\n${result.stdout}\n${result.stderr}`);
  }
}

export async function startReplicaPair(): Promise<ReplicaPair> {
  const dir = mkdtempSync(path.join(os.tmpdir(), "parley-replica-"));
  chmodSync(dir, 0o777); // the postgres user creates both data folders in it
  const primary = path.join(dir, "primary");
  const replica = path.join(dir, "replica");
  const [primaryPort, replicaPort] = [await freePort(), await freePort()];
  const started: string[] = [];
  const stop = () => {
    for (const data of started.reverse()) {
      spawnSync("runuser", [
        "-u",
        "postgres",
        "--",
        path.join(BIN, "pg_ctl"),
        "-D",
        data,
        "-m",
        "fast",
        "-w",
        "stop",
      ]);
    }
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    asPostgres("initdb", [
      "-D",
      primary,
      "-U",
      "postgres",
      "-A",
      "trust",
      "--encoding=UTF8",
      "--locale=C.UTF-8",
    ]);
    appendFileSync(
      path.join(primary, "postgresql.conf"),
      `listen_addresses = '127.0.0.1'\nport = ${primaryPort}\nwal_level = replica\nmax_wal_senders = 4\n` +
        `unix_socket_directories = '${dir}'\n`,
    );
    appendFileSync(path.join(primary, "pg_hba.conf"), "host replication postgres 127.0.0.1/32 trust\n");
    asPostgres("pg_ctl", ["-D", primary, "-l", path.join(dir, "primary.log"), "-w", "start"]);
    started.push(primary);
    asPostgres("pg_basebackup", [
      ...["-h", "127.0.0.1", "-p", String(primaryPort), "-U", "postgres"],
      ...["-D", replica, "-R", "-X", "stream"],
    ]);
    appendFileSync(path.join(replica, "postgresql.conf"), `port = ${replicaPort}\n`);
    asPostgres("pg_ctl", ["-D", replica, "-l", path.join(dir, "replica.log"), "-w", "start"]);
    started.push(replica);
    const url = (port: number) => `postgres://postgres@127.0.0.1:${port}/parley`;
    execFileSync("runuser", [
      ...["-u", "postgres", "--", path.join(BIN, "createdb")],
      ...["-h", "127.0.0.1", "-p", String(primaryPort), "-U", "postgres", "parley"],
    ]);
    return { primaryUrl: url(primaryPort), replicaUrl: url(replicaPort), stop };
  } catch (err) {
    stop();
    throw err;
  }
}
