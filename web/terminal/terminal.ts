import { FitAddon } from "@xterm/addon-fit";
import { Terminal } from "@xterm/xterm";

// The page of one node's terminal (/terminal/<node>): xterm.js over a WebSocket to lab's server,
// which runs the node's CLI over the engine's hijacked exec. The protocol: the server sends the
// terminal's bytes as binary messages and events as JSON text ({type: exit|error}); the page sends
// JSON text ({type: input|resize}). A dropped connection is retried (a new session), an ended one
// offered again, a stopped node offered a start.

const node = decodeURIComponent(location.pathname.replace(/^\/terminal\//, "").replace(/\/$/, ""));
const $ = (s: string) => document.querySelector(s) as HTMLElement;
const status = (text: string) => {
  $("#status").textContent = text;
};
document.title = `${node} — terminal`;
$("#title").textContent = node;

const term = new Terminal({ screenReaderMode: true, cursorBlink: true, fontSize: 14, scrollback: 5000 });
const fit = new FitAddon();
term.loadAddon(fit);
term.open($("#terminal"));
// For scripts and tests, as the graph page exposes its graph.
(window as unknown as { labTerminal: Terminal }).labTerminal = term;
fit.fit();
term.focus();

let ws: WebSocket | undefined;
let retries = 0;
let ended = false;
const send = (m: object) => ws?.readyState === WebSocket.OPEN && ws.send(JSON.stringify(m));

function connect() {
  ended = false;
  $("#reconnect").hidden = true;
  status("connecting…");
  const url = `${location.protocol === "https:" ? "wss" : "ws"}://${location.host}/terminal/${encodeURIComponent(node)}/ws${location.search}`;
  const socket = new WebSocket(url);
  ws = socket;
  socket.binaryType = "arraybuffer";
  socket.onopen = () => {
    retries = 0;
    status("connected");
    send({ type: "resize", rows: term.rows, cols: term.cols });
  };
  socket.onmessage = (e) => {
    if (typeof e.data !== "string") return term.write(new Uint8Array(e.data as ArrayBuffer));
    const m = JSON.parse(e.data) as { type: string; code?: number; message?: string; stopped?: boolean };
    if (m.type === "exit") {
      ended = true;
      status(`session ended (exit code ${m.code})`);
      $("#reconnect").hidden = false;
    } else if (m.type === "error") {
      ended = true;
      status(m.message ?? "error");
      $("#start").hidden = !m.stopped;
      $("#reconnect").hidden = !!m.stopped;
    }
  };
  socket.onclose = () => {
    if (ended || ws !== socket) return;
    // Dropped (the server restarted, the network blinked): a new session, a few times.
    if (retries >= 10) {
      status("disconnected");
      $("#reconnect").hidden = false;
      return;
    }
    retries++;
    status(`disconnected; reconnecting (${retries})…`);
    setTimeout(connect, Math.min(1000 * retries, 5000));
  };
}

term.onData((data) => send({ type: "input", data }));
term.onResize(({ rows, cols }) => send({ type: "resize", rows, cols }));
addEventListener("resize", () => fit.fit());
$("#reconnect").addEventListener("click", () => {
  term.reset();
  connect();
});
$("#start").addEventListener("click", async () => {
  status(`starting ${node}…`);
  const r = await fetch(`/api/nodes/${encodeURIComponent(node)}/start${location.search}`, { method: "POST" });
  if (!r.ok) return status(`cannot start ${node}: ${await r.text()}`);
  $("#start").hidden = true;
  term.reset();
  connect();
});
connect();
