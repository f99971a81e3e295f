import { type Libc, openLibc } from "./ethtool.ts";

// libc through Deno.dlopen, for the calls node:* has no binding for (setns, the ethtool ioctl).

const symbols = {
  open: { parameters: ["buffer", "i32"], result: "i32" },
  close: { parameters: ["i32"], result: "i32" },
  setns: { parameters: ["i32", "i32"], result: "i32" },
  socket: { parameters: ["i32", "i32", "i32"], result: "i32" },
  ioctl: { parameters: ["i32", "u64", "buffer"], result: "i32" },
  __errno_location: { parameters: [], result: "pointer" },
} as const;

const open = () => openLibc((name) => Deno.dlopen(name, symbols));

let lib: ReturnType<typeof open> | undefined;

export function denoLibc(): Libc {
  lib ??= open();
  const s = lib.symbols;
  return {
    open: (path, flags) => s.open(path, flags) as number,
    close: (fd) => s.close(fd),
    setns: (fd, type) => s.setns(fd, type),
    socket: (d, t, p) => s.socket(d, t, p),
    ioctl: (fd, request, arg) => s.ioctl(fd, BigInt(request), arg) as number,
    errno: () => {
      const where = s.__errno_location();
      return where ? new Deno.UnsafePointerView(where).getInt32(0) : -1;
    },
    address: (buffer) => BigInt(Deno.UnsafePointer.value(Deno.UnsafePointer.of(buffer as BufferSource))),
  };
}
