// ssh2's protocol internals, used to add OpenSSH certificate authentication (core/share/ssh-cert.ts).
declare module "ssh2/lib/protocol/Protocol.js" {
  const Protocol: unknown;
  export default Protocol;
}
declare module "ssh2/lib/protocol/utils.js" {
  const utils: unknown;
  export default utils;
}
