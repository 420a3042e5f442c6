// The official Socket.IO server (exact version in package-lock.json) that the .NET client's conformance tests talk to.
// Usage: node server.js <port|0> [lifetimeSeconds]. Listens on 127.0.0.1 only, prints "listening <port>" once ready,
// and exits on its own after lifetimeSeconds (default 60) so that a test that dies never leaves it running.
"use strict";
const { createServer } = require("node:http");
const { Server } = require("socket.io");

const port = Number(process.argv[2] ?? 0);
const lifetimeSeconds = Number(process.argv[3] ?? 60);
const GOOD_TOKEN = "conformance-good-token";

const httpServer = createServer();
// Pings every 300 ms with a 1 s deadline: a client that does not pong is dropped within the tests' time.
const io = new Server(httpServer, { transports: ["websocket"], pingInterval: 300, pingTimeout: 1000 });

io.use((socket, next) => {
  if (socket.handshake.auth && socket.handshake.auth.token === GOOD_TOKEN) {
    next();
  } else {
    next(new Error("unauthorized: bad token"));
  }
});

io.on("connection", (socket) => {
  let pongs = 0;
  socket.conn.on("packet", (packet) => {
    if (packet.type === "pong") pongs++;
  });

  socket.emit("welcome", { sid: socket.id, user: "conformance-user" });

  // An ack round trip: the argument comes back in the ack.
  socket.on("echo", (payload, ack) => ack({ ok: true, echo: payload }));

  // What the server saw of this connection: pongs received, and whether it is still connected.
  socket.on("stats", (_payload, ack) => ack({ pongs, connected: socket.connected }));

  // The server asks the client for an ack, then tells it how many arguments the ack carried.
  socket.on("ask-me", () => {
    socket.emit("question", { q: 1 }, (...args) => socket.emit("answered", { count: args.length }));
  });

  // The server ends the connection (41).
  socket.on("kick", () => socket.disconnect(true));
});

httpServer.listen(port, "127.0.0.1", () => {
  console.log(`listening ${httpServer.address().port}`);
});

setTimeout(() => process.exit(0), lifetimeSeconds * 1000);
