import { describe, expect, test } from "bun:test";
import { readChunked, rpcError } from "./netconf.ts";

describe("NETCONF framing", () => {
  test("1.1 chunks: whole messages out, a partial one kept for more data", () => {
    const one = "\n#5\n<ok/>\n#3\nabc\n##\n";
    expect(readChunked(one)).toEqual({ messages: ["<ok/>abc"], rest: "" });
    const partial = `${one}\n#10\n<rpc-repl`;
    expect(readChunked(partial)).toEqual({ messages: ["<ok/>abc"], rest: "\n#10\n<rpc-repl" });
    expect(readChunked("\n#2")).toEqual({ messages: [], rest: "\n#2" });
  });

  test("rpc-error messages, with or without a prefix", () => {
    expect(rpcError("<rpc-reply><ok/></rpc-reply>")).toBeUndefined();
    expect(
      rpcError(
        '<nc:rpc-reply><nc:rpc-error><nc:error-message xml:lang="en"> startup is locked </nc:error-message></nc:rpc-error></nc:rpc-reply>',
      ),
    ).toBe("startup is locked");
  });
});
