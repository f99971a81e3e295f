/** Sends `text` to 127.0.0.1:port and resolves with the first answer (a TCP echo through a tunnel). */
export function echo(port: number, text: string, timeoutMs = 5000): Promise<string> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("echo timed out")), timeoutMs);
    Bun.connect({
      hostname: "127.0.0.1",
      port,
      socket: {
        open: (s) => void s.write(text),
        data(s, d) {
          clearTimeout(timer);
          resolve(d.toString());
          s.end();
        },
        error: (_s, e) => reject(e),
        connectError: (_s, e) => reject(e),
      },
    });
  });
}
