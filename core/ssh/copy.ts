import type ssh2 from "ssh2";
import { shellLine } from "../../runtime/quote.ts";

/**
 * Reads a remote file with the scp protocol (`scp -f` on the far side), as Containerlab's scp://
 * downloads do: the server sends "C<mode> <size> <name>", then the bytes, each step acknowledged.
 */
export function scpRead(client: ssh2.Client, path: string, timeoutMs = 60_000): Promise<Uint8Array> {
  return new Promise((resolve, reject) => {
    // sshd runs the line with the user's shell: the path is one single-quoted word, never code.
    client.exec(shellLine(["scp", "-f", path]), (err, stream) => {
      if (err) return reject(err);
      const timer = setTimeout(() => {
        stream.close();
        reject(new Error("timed out"));
      }, timeoutMs);
      let buf = Buffer.alloc(0);
      let size = -1;
      let done = false;
      const errs: Buffer[] = [];
      const finish = (e?: Error, data?: Uint8Array) => {
        if (done) return;
        done = true;
        clearTimeout(timer);
        stream.end();
        if (e) reject(e);
        else resolve(data as Uint8Array);
      };
      stream.stderr.on("data", (d: Buffer) => errs.push(d));
      stream.on("data", (chunk: Buffer) => {
        buf = Buffer.concat([buf, chunk]);
        for (;;) {
          if (size < 0) {
            if (!buf.length) return;
            if (buf[0] === 1 || buf[0] === 2) {
              const nl = buf.indexOf(10);
              if (nl < 0) return;
              return finish(new Error(buf.subarray(1, nl).toString().trim()));
            }
            const nl = buf.indexOf(10);
            if (nl < 0) return;
            const header = buf.subarray(0, nl).toString();
            buf = buf.subarray(nl + 1);
            if (header.startsWith("T")) {
              stream.write("\0");
              continue;
            }
            const m = /^C[0-7]{4} (\d+) /.exec(header);
            if (!m) return finish(new Error(`unexpected scp header "${header}"`));
            size = Number(m[1]);
            stream.write("\0");
            continue;
          }
          if (buf.length < size + 1) return;
          const data = new Uint8Array(buf.subarray(0, size));
          stream.write("\0");
          return finish(undefined, data);
        }
      });
      stream.on("close", () =>
        finish(new Error(Buffer.concat(errs).toString().trim() || "the connection closed early")),
      );
      stream.write("\0");
    });
  });
}

/** Reads a remote file over SFTP. */
export function sftpRead(client: ssh2.Client, path: string): Promise<Uint8Array> {
  return new Promise((resolve, reject) => {
    client.sftp((err, sftp) => {
      if (err) return reject(err);
      sftp.readFile(path, (e, data) => {
        sftp.end();
        if (e) reject(e);
        else resolve(new Uint8Array(data));
      });
    });
  });
}
