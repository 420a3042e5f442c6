// The official socket.io-client against the Mudbase emulator, run by RealtimeConformanceTests.
// Usage: node client.js <baseUrl> <token> <projectId> <collection> [pings]
// Prints one JSON object per line for what it saw: first a connection with a bad token (refused), then one with
// <token> that subscribes to <collection> with an ack, waits for a db:create (the test writes through REST once it
// reads the "ack" line) and for <pings> server pings (the client closes the connection itself when a ping is late),
// then disconnects. Exits 0 when all of that happened, 1 on an unexpected disconnect, 2 after its time limit.
"use strict";
const { io } = require("socket.io-client");

const [baseUrl, token, projectId, collection, pingsArg] = process.argv.slice(2);
if (!baseUrl || !token || !projectId || !collection) {
  console.error("usage: node client.js <baseUrl> <token> <projectId> <collection> [pings]");
  process.exit(64);
}
const wantedPings = Number(pingsArg || 5);
const print = (event, extra) => console.log(JSON.stringify({ event, ...extra }));
const options = { transports: ["websocket"], reconnection: false, timeout: 5000, forceNew: true };

const limit = setTimeout(() => { print("timeout"); process.exit(2); }, 20000);

function refused() {
  return new Promise((resolve) => {
    const bad = io(baseUrl, { ...options, auth: { token: "not-a-jwt" } });
    bad.on("connect", () => { print("connect-with-bad-token"); bad.close(); resolve(); });
    bad.on("connect_error", (error) => { print("connect_error", { message: error.message }); bad.close(); resolve(); });
  });
}

function live() {
  const socket = io(baseUrl, { ...options, auth: { token } });
  let pings = 0;
  let created = null;
  let finished = false;
  const finishIfDone = () => {
    if (finished || created === null || pings < wantedPings) return;
    finished = true;
    print("done", { pings });
    socket.disconnect();
    clearTimeout(limit);
    setTimeout(() => process.exit(0), 50);
  };
  socket.io.on("ping", () => { pings++; print("ping", { count: pings }); finishIfDone(); });
  socket.on("connect", () => {
    print("connect", { id: socket.id });
    socket.emit("subscribe:collection", { projectId, collectionId: collection }, (answer) => print("ack", { data: answer }));
  });
  socket.on("subscribed", (data) => print("subscribed", { data }));
  socket.on("db:create", (payload) => { created = payload; print("db:create", { payload }); finishIfDone(); });
  socket.on("connect_error", (error) => { print("connect_error", { message: error.message }); process.exit(1); });
  socket.on("disconnect", (reason) => {
    if (!finished) { print("disconnect", { reason }); process.exit(1); }
  });
}

refused().then(live);
