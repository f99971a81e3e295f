import { dlopen, FFIType, ptr, read } from "bun:ffi";
import { type Libc, openLibc } from "./ethtool.ts";

// libc through bun:ffi, for the calls node:* has no binding for (setns, the ethtool ioctl).

const symbols = {
  open: { args: [FFIType.ptr, FFIType.i32], returns: FFIType.i32 },
  close: { args: [FFIType.i32], returns: FFIType.i32 },
  setns: { args: [FFIType.i32, FFIType.i32], returns: FFIType.i32 },
  socket: { args: [FFIType.i32, FFIType.i32, FFIType.i32], returns: FFIType.i32 },
  ioctl: { args: [FFIType.i32, FFIType.u64, FFIType.ptr], returns: FFIType.i32 },
  __errno_location: { args: [], returns: FFIType.ptr },
} as const;

const open = () => openLibc((name) => dlopen(name, symbols));

let lib: ReturnType<typeof open> | undefined;

export function bunLibc(): Libc {
  lib ??= open();
  const s = lib.symbols;
  return {
    open: (path, flags) => s.open(ptr(path), flags),
    close: (fd) => s.close(fd),
    setns: (fd, type) => s.setns(fd, type),
    socket: (d, t, p) => s.socket(d, t, p),
    ioctl: (fd, request, arg) => s.ioctl(fd, request, ptr(arg)),
    errno: () => {
      const where = s.__errno_location();
      return where ? read.i32(where, 0) : -1;
    },
    address: (buffer) => BigInt(ptr(buffer)),
  };
}
