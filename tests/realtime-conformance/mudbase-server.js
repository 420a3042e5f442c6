// A small Mudbase server on the official Socket.IO server (exact version in package-lock.json), for the conformance
// test of the SDK's watches: the contract's REST list/create/delete of documents and the realtime events they cause.
// Usage: node mudbase-server.js <port|0> <storeFile> [lifetimeSeconds]. Listens on 127.0.0.1 only, prints
// "listening <port>" once ready, keeps its documents in storeFile (so that a restart keeps them, and a test may change
// them while the server is down, as writes to another replica would), and exits on its own after lifetimeSeconds.
"use strict";
const { createServer } = require("node:http");
const { readFileSync, writeFileSync, existsSync } = require("node:fs");
const { randomBytes } = require("node:crypto");
const { Server } = require("socket.io");

const port = Number(process.argv[2] ?? 0);
const storeFile = process.argv[3];
const lifetimeSeconds = Number(process.argv[4] ?? 60);
const GOOD_TOKEN = "conformance-good-token";

// { "<collectionId>": [doc, ...] }
const store = existsSync(storeFile) ? JSON.parse(readFileSync(storeFile, "utf8")) : {};
const save = () => writeFileSync(storeFile, JSON.stringify(store));

const httpServer = createServer((req, res) => {
  const answer = (status, body) => {
    res.writeHead(status, { "content-type": "application/json" });
    res.end(JSON.stringify(body));
  };
  if (req.headers.authorization !== `Bearer ${GOOD_TOKEN}`) return answer(401, { error: "Unauthorized" });
  const url = new URL(req.url, "http://localhost");
  const match = /^\/api\/data\/projects\/([^/]+)\/collections\/([^/]+)\/data(?:\/([^/]+))?$/.exec(url.pathname);
  if (!match) return answer(404, { error: "Not found" });
  const [, projectId, collectionId, documentId] = match;
  const docs = (store[collectionId] ??= []);
  const emit = (action, data) =>
    io.to(`collection:${collectionId}`).emit(`db:${action}`, { projectId, collectionId, action, data, timestamp: new Date().toISOString() });

  if (req.method === "GET" && !documentId) {
    const page = Number(url.searchParams.get("page") ?? 1);
    const limit = Math.min(Number(url.searchParams.get("limit") ?? 20), 100);
    const sorted = [...docs].sort((a, b) => (a._id < b._id ? -1 : a._id > b._id ? 1 : 0));
    const data = sorted.slice((page - 1) * limit, page * limit);
    return answer(200, { data, pagination: { page, limit, total: docs.length, totalPages: Math.ceil(docs.length / limit) } });
  }
  if (req.method === "POST" && !documentId) {
    let body = "";
    req.on("data", (chunk) => (body += chunk));
    req.on("end", () => {
      const doc = { ...JSON.parse(body), _id: randomBytes(12).toString("hex"), createdAt: new Date().toISOString() };
      docs.push(doc);
      save();
      emit("create", doc);
      answer(201, { message: "Data created successfully", data: doc });
    });
    return;
  }
  if (req.method === "DELETE" && documentId) {
    const index = docs.findIndex((d) => d._id === documentId);
    if (index < 0) return answer(404, { error: "Document not found" });
    docs.splice(index, 1);
    save();
    emit("delete", { _id: documentId });
    return answer(200, { message: "Data deleted successfully" });
  }
  return answer(405, { error: "Method not allowed" });
});

const io = new Server(httpServer, { transports: ["websocket"], pingInterval: 300, pingTimeout: 1000 });

io.use((socket, next) => {
  if (socket.handshake.auth && socket.handshake.auth.token === GOOD_TOKEN) next();
  else next(new Error("Authentication error"));
});

io.on("connection", (socket) => {
  socket.on("subscribe:collection", (payload, ack) => {
    const { projectId, collectionId } = typeof payload === "string" ? { collectionId: payload } : payload;
    socket.join(`collection:${collectionId}`);
    const subscribed = { type: "collection", id: collectionId, projectId };
    if (typeof ack === "function") ack(subscribed);
    socket.emit("subscribed", subscribed);
  });
  socket.on("unsubscribe:collection", ({ collectionId }) => socket.leave(`collection:${collectionId}`));
});

httpServer.listen(port, "127.0.0.1", () => {
  console.log(`listening ${httpServer.address().port}`);
});

setTimeout(() => process.exit(0), lifetimeSeconds * 1000);
