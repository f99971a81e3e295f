import { afterAll, describe, expect, test } from "bun:test";
import { chmodSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { tempDirs } from "../../../test/helpers/temp.ts";
import { decodeBorder0Token } from "../border0-token.ts";
import { border0Name, border0Type } from "./border0.ts";
import { choiceFromArgs, pickProviderId } from "./index.ts";
import { listeners, parsePortRange, sishAddresses } from "./ssh.ts";

const temp = tempDirs();
afterAll(temp.cleanup);

const env = (vars: Record<string, string>) => (name: string) => vars[name];

describe("picking the provider", () => {
  const empty = temp.make("lab-pick-");
  test.each([
    ["--provider wins", { provider: "mysocket" }, { MYSOCKET_API: "x" }, "mysocket"],
    ["--via means ssh", { via: "ssh://u@h" }, {}, "ssh"],
    ["LAB_SHARE_PROVIDER next", {}, { LAB_SHARE_PROVIDER: "ssh" }, "ssh"],
    ["mysocket when it was set up (MYSOCKET_API)", {}, { MYSOCKET_API: "http://x" }, "mysocket"],
    ["mysocket with MYSOCKET_TOKEN", {}, { MYSOCKET_TOKEN: "t" }, "mysocket"],
    ["else Border0", {}, { HOME: empty, XDG_CONFIG_HOME: empty }, "border0"],
  ])("%s", (_name, choice, vars, expected) => {
    expect(pickProviderId(choice, env({ HOME: empty, XDG_CONFIG_HOME: empty, ...vars }), { dir: empty })).toBe(
      expected as never,
    );
  });

  test("a private .mysocketio_token of the user's beside the topology keeps the seed's workflow on mysocket", () => {
    const dir = temp.make("lab-pick-seed-");
    writeFileSync(join(dir, ".mysocketio_token"), "t\n", { mode: 0o600 });
    expect(pickProviderId({}, env({ HOME: empty, XDG_CONFIG_HOME: empty }), { dir })).toBe("mysocket");
  });

  test("one others may read, or from a fetched topology, does not count", () => {
    const dir = temp.make("lab-pick-open-");
    writeFileSync(join(dir, ".mysocketio_token"), "t\n", { mode: 0o644 });
    chmodSync(join(dir, ".mysocketio_token"), 0o644);
    expect(pickProviderId({}, env({ HOME: empty, XDG_CONFIG_HOME: empty }), { dir })).toBe("border0");
    chmodSync(join(dir, ".mysocketio_token"), 0o600);
    expect(pickProviderId({}, env({ HOME: empty, XDG_CONFIG_HOME: empty }), { dir, remote: true })).toBe("border0");
  });

  test("an unknown provider is a usage error", () => {
    expect(() => pickProviderId({ provider: "ngrok" }, env({}), { dir: empty })).toThrow(
      "there is no sharing provider ngrok",
    );
  });

  test("the background sharer rebuilds the same choice from the recorded args", () => {
    expect(
      choiceFromArgs([
        "--via",
        "ssh://u@h:2222",
        "--identity",
        "/k",
        "--accept-new-host-key",
        "--remote-ports",
        "1-2",
        "--edge",
        "sish",
      ]),
    ).toEqual({ via: "ssh://u@h:2222", identity: "/k", acceptNewHostKey: true, remotePorts: "1-2", edge: "sish" });
  });
});

describe("Border0", () => {
  test.each([
    ["lab1", "r1", "http", 8080, "lab1-r1-http-8080"],
    ["My_Lab", "Leaf.1", "tls", 57400, "my-lab-leaf-1-tls-57400"],
    ["x".repeat(70), "r1", "tls", 1, "x".repeat(63)],
    ["-lab-", "r1", "ssh", 22, "lab-r1-ssh-22"],
  ])("socket name of %s/%s %s/%d: a DNS label unique per lab", (lab, node, type, port, name) => {
    expect(border0Name(lab, node, type, port)).toBe(name);
  });

  test("types: https is http with an https upstream, raw tcp is tls", () => {
    expect(border0Type("https")).toEqual({ socket_type: "http", upstream_type: "https" });
    expect(border0Type("tcp")).toEqual({ socket_type: "tls" });
    expect(border0Type("ssh")).toEqual({ socket_type: "ssh" });
  });

  test("tokens: the SSH user is user_id without dashes; malformed and expired ones are one line", () => {
    const jwt = (claims: object) => `e30.${Buffer.from(JSON.stringify(claims)).toString("base64url")}.sig`;
    expect(decodeBorder0Token(jwt({ user_id: "ab-cd-ef", exp: 4102444800 }), "env").sshUser).toBe("abcdef");
    expect(decodeBorder0Token(jwt({ connector_id: "c-1" }), "env").sshUser).toBe("c1");
    expect(() => decodeBorder0Token("nope", "file")).toThrow("is not a token");
    expect(() => decodeBorder0Token(jwt({ user_id: "u", exp: 1 }), "file")).toThrow(
      "expired at 1970-01-01T00:00:01.000Z",
    );
    expect(() => decodeBorder0Token(jwt({ org: "x" }), "file")).toThrow("names no user");
  });
});

describe("own edge", () => {
  test("--remote-ports", () => {
    expect(parsePortRange("20000-20100")).toEqual([20000, 20100]);
    expect(parsePortRange("2222")).toEqual([2222, 2222]);
    expect(() => parsePortRange("20-10")).toThrow("is not a port range");
  });

  test("sish's session output, colours and all", () => {
    const out =
      "Starting SSH Forwarding service for http:80. Forwarded connections can be accessed via the following methods:\r\n\x1b[32mHTTP\x1b[0m: http://web-8080.tuns.example.com\r\n\x1b[32mHTTPS\x1b[0m: https://web-8080.tuns.example.com\r\nTCP: tuns.example.com:41234\r\n";
    expect(sishAddresses(out)).toEqual([
      "http://web-8080.tuns.example.com",
      "https://web-8080.tuns.example.com",
      "tuns.example.com:41234",
    ]);
  });

  test("where the edge listens (/proc/net/tcp): loopback or all addresses", () => {
    const procNet = `  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
   0: 0100007F:4E20 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 1 1 0000000000000000 100 0 0 10 0
   1: 00000000:4E21 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 2 1 0000000000000000 100 0 0 10 0
   2: 0100007F:4E22 0100007F:9C40 01 00000000:00000000 00:00000000 00000000     0        0 3 1 0000000000000000 100 0 0 10 0`;
    const l = listeners(procNet);
    expect(l.get(20000)).toEqual(["0100007F"]);
    expect(l.get(20001)).toEqual(["00000000"]);
    expect(l.has(20002)).toBe(false);
  });
});
