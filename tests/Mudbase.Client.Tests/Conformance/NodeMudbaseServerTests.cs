using System.Diagnostics;
using System.Text.Json.Nodes;
using Mudbase.Auth;
using Mudbase.Data;
using Mudbase.Realtime;

namespace Mudbase.Tests.Conformance;

/// <summary>
/// The SDK's public watch against a small Mudbase server built on the official Node <c>socket.io</c> 4.8.4
/// (tests/realtime-conformance/mudbase-server.js: the contract's REST documents and <c>db:*</c> events), restarted in the
/// middle: the client reconnects, subscribes again, fetches, and yields one Resynced with what changed while it was down.
/// </summary>
public sealed class NodeMudbaseServerTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_watch_survives_a_server_restart_and_resyncs_what_changed_while_it_was_down()
    {
        var store = Path.Combine(Path.GetTempPath(), "mudbase-conformance-" + Guid.NewGuid().ToString("N") + ".json");
        try
        {
            var (server, port) = await StartAsync(0, store);
            var session = new AuthSession("conformance-good-token", "conformance-refresh", 3600, DateTimeOffset.UtcNow.AddHours(1), new MudbaseUser("u1", "ada@northwind.dev"));
            await using var client = new MudbaseClient(new MudbaseClientOptions
            {
                BaseUrl = new Uri($"http://127.0.0.1:{port}"),
                ProjectId = "p1",
                Realtime = { ReconnectDelay = TimeSpan.FromMilliseconds(100), MaxReconnectDelay = TimeSpan.FromMilliseconds(300) },
            });
            var view = client.WithSession(session);
            var todos = view.Data.Collection("todos");
            var kept = await todos.CreateAsync(new MudbaseDocument(new JsonObject { ["title"] = "kept" }), Ct);
            var doomed = await todos.CreateAsync(new MudbaseDocument(new JsonObject { ["title"] = "doomed" }), Ct);

            var events = new System.Collections.Concurrent.ConcurrentQueue<CollectionEvent<MudbaseDocument>>();
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(Ct);
            var watching = Task.Run(async () =>
            {
                await foreach (var e in todos.WatchAsync(new WatchOptions { IncludeExisting = true }, stop.Token))
                {
                    events.Enqueue(e);
                }
            }, Ct);
            await WaitUntilAsync(() => events.Count == 2, "the existing documents");
            var live = await todos.CreateAsync(new MudbaseDocument(new JsonObject { ["title"] = "live" }), Ct);
            await WaitUntilAsync(() => events.Count == 3, "an event from the official server");
            Assert.Equal(live.Id, Assert.IsType<CollectionEvent<MudbaseDocument>.Created>(events.Last()).DocumentId);

            // The server goes down; meanwhile another replica deletes one document and adds one (the store file).
            Stop(server);
            await WaitUntilAsync(() => events.Any(e => e is CollectionEvent<MudbaseDocument>.Disconnected), "the stream to see the loss");
            var documents = JsonNode.Parse(await File.ReadAllTextAsync(store, Ct))!["todos"]!.AsArray();
            documents.Remove(documents.First(d => (string?)d!["_id"] == doomed.Id));
            documents.Add(new JsonObject { ["_id"] = "ffffffffffffffffffffffff", ["title"] = "written elsewhere" });
            await File.WriteAllTextAsync(store, new JsonObject { ["todos"] = documents.DeepClone() }.ToJsonString(), Ct);
            (server, _) = await StartAsync(port, store);
            try
            {
                await WaitUntilAsync(() => events.Any(e => e is CollectionEvent<MudbaseDocument>.Resynced), "the resync after the restart");
                var resynced = events.OfType<CollectionEvent<MudbaseDocument>.Resynced>().Single();
                Assert.Equal(
                    [(ChangeKind.Removed, doomed.Id), (ChangeKind.Added, "ffffffffffffffffffffffff")],
                    resynced.Missed.Select(c => (c.Kind, (string?)c.DocumentId)).OrderBy(c => c.Kind == ChangeKind.Added));
                Assert.Equal(RealtimeState.Connected, view.Realtime.State);

                // Subscribed again on the new server: its events arrive.
                await todos.DeleteAsync(kept.Id!, Ct);
                await WaitUntilAsync(() => events.Last() is CollectionEvent<MudbaseDocument>.Deleted, "an event after the restart");
                Assert.Equal(kept.Id, ((CollectionEvent<MudbaseDocument>.Deleted)events.Last()).DocumentId);
                stop.Cancel();
                await Assert.ThrowsAnyAsync<OperationCanceledException>(() => watching);
            }
            finally
            {
                Stop(server);
            }
        }
        finally
        {
            File.Delete(store);
        }
    }

    private static async Task WaitUntilAsync(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "Timed out waiting for " + what);
            await Task.Delay(10, Ct);
        }
    }

    private static async Task<(Process Process, int Port)> StartAsync(int port, string store)
    {
        var folder = FindFolder();
        await Support.NodePackages.EnsureAsync(folder, "socket.io");
        var start = new ProcessStartInfo("node") { WorkingDirectory = folder, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in new[] { "mudbase-server.js", port.ToString(System.Globalization.CultureInfo.InvariantCulture), store, "60" })
        {
            start.ArgumentList.Add(argument);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("node did not start.");
        process.ErrorDataReceived += (_, _) => { };
        process.BeginErrorReadLine();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        while (true)
        {
            var line = await process.StandardOutput.ReadLineAsync(timeout.Token)
                ?? throw new InvalidOperationException($"The server exited before listening (exit code {(process.HasExited ? process.ExitCode : -1)}).");
            if (line.StartsWith("listening ", StringComparison.Ordinal))
            {
                return (process, int.Parse(line["listening ".Length..], System.Globalization.CultureInfo.InvariantCulture));
            }
        }
    }

    private static void Stop(Process process)
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit(5000);
        }

        process.Dispose();
    }

    private static string FindFolder()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "tests", "realtime-conformance");
            if (File.Exists(Path.Combine(candidate, "mudbase-server.js")))
            {
                return candidate;
            }
        }

        throw new InvalidOperationException("tests/realtime-conformance/mudbase-server.js was not found above " + AppContext.BaseDirectory);
    }
}
