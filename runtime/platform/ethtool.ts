// TX checksum offload off, as Containerlab's EthtoolTXOff does it: the SIOCETHTOOL ioctl with
// ETHTOOL_STXCSUM on a socket made inside the interface's network namespace (setns on this thread,
// socket(2), setns back: the socket stays in the namespace it was made in). No ethtool binary on
// the host or in the node. The libc calls go through each runtime's FFI (bun-ffi.ts, deno-ffi.ts).

export interface Libc {
  open(path: Uint8Array, flags: number): number;
  close(fd: number): number;
  setns(fd: number, nstype: number): number;
  socket(domain: number, type: number, protocol: number): number;
  /** ioctl(fd, request, arg) with arg a pointer to `arg`. */
  ioctl(fd: number, request: number, arg: Uint8Array): number;
  errno(): number;
  /** The address of a buffer (the ioctl's ifreq points at the ethtool_value). */
  address(buffer: Uint8Array): bigint;
}

const O_RDONLY_CLOEXEC = 0o2000000;
const CLONE_NEWNET = 0x40000000;
const AF_INET = 2;
const SOCK_DGRAM = 2;
const SIOCETHTOOL = 0x8946;
const ETHTOOL_GTXCSUM = 0x16;
const ETHTOOL_STXCSUM = 0x17;
const IFNAMSIZ = 16;
const EOPNOTSUPP = 95;

const cstr = (s: string) => new TextEncoder().encode(`${s}\0`);

export interface TxOffResult {
  ifname: string;
  /** Why it could not be turned off; an interface without the feature is not an error. */
  error?: string;
}

/** Opens a socket in the namespace at `nsPath` (or here), runs `work` with it, closes it. */
function withSocket<T>(libc: Libc, nsPath: string | undefined, work: (sock: number) => T): T {
  let self = -1;
  let target = -1;
  let sock = -1;
  try {
    if (nsPath) {
      self = libc.open(cstr("/proc/thread-self/ns/net"), O_RDONLY_CLOEXEC);
      target = libc.open(cstr(nsPath), O_RDONLY_CLOEXEC);
      if (self < 0 || target < 0) throw new Error(`cannot open ${nsPath} (errno ${libc.errno()})`);
      if (libc.setns(target, CLONE_NEWNET) !== 0) throw new Error(`cannot enter ${nsPath} (errno ${libc.errno()})`);
    }
    sock = libc.socket(AF_INET, SOCK_DGRAM, 0);
    const socketErrno = sock < 0 ? libc.errno() : 0;
    // Back to our own namespace before anything else can run on this thread.
    if (nsPath && libc.setns(self, CLONE_NEWNET) !== 0)
      throw new Error(`cannot return from ${nsPath} (errno ${libc.errno()})`);
    if (sock < 0) throw new Error(`cannot open a socket (errno ${socketErrno})`);
    return work(sock);
  } finally {
    for (const fd of [sock, target, self]) if (fd >= 0) libc.close(fd);
  }
}

export function txChecksumOff(libc: Libc, nsPath: string | undefined, ifnames: string[]): TxOffResult[] {
  return withSocket(libc, nsPath, (sock) =>
    ifnames.map((ifname) => {
      const value = new Uint8Array(8);
      const view = new DataView(value.buffer);
      const ifr = new Uint8Array(40);
      ifr.set(new TextEncoder().encode(ifname).subarray(0, IFNAMSIZ - 1), 0);
      new DataView(ifr.buffer).setBigUint64(16, libc.address(value), true);
      view.setUint32(0, ETHTOOL_GTXCSUM, true);
      if (libc.ioctl(sock, SIOCETHTOOL, ifr) !== 0) {
        const e = libc.errno();
        return e === EOPNOTSUPP ? { ifname } : { ifname, error: `errno ${e}` };
      }
      if (view.getUint32(4, true) === 0) return { ifname };
      view.setUint32(0, ETHTOOL_STXCSUM, true);
      view.setUint32(4, 0, true);
      if (libc.ioctl(sock, SIOCETHTOOL, ifr) !== 0) {
        const e = libc.errno();
        return e === EOPNOTSUPP ? { ifname } : { ifname, error: `errno ${e}` };
      }
      return { ifname };
    }),
  );
}

/** The C library to bind, by name: glibc, or musl on Alpine. */
export const LIBC_NAMES = ["libc.so.6", "libc.musl-x86_64.so.1", "libc.musl-aarch64.so.1"];

/** The first C library the runtime's dlopen loads. */
export function openLibc<T>(dlopen: (name: string) => T): T {
  for (const name of LIBC_NAMES) {
    try {
      return dlopen(name);
    } catch {}
  }
  throw new Error(`cannot load the C library (${LIBC_NAMES.join(", ")})`);
}
