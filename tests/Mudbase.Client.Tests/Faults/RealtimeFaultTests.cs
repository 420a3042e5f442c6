using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json.Nodes;
using Mudbase.Data;
using Mudbase.Emulator;
using Mudbase.Realtime;
using Mudbase.Tests.Support;

namespace Mudbase.Tests.Faults;

/// <summary>
/// The fault suite's realtime leg: several users watch one collection while writers change it through REST chaos, and
/// their links are dropped, stalled (half-open) and refused at random. At the end every watcher's state must equal the
/// server's, and every lost connection must have been healed by exactly one Resynced: no change lost silently.
/// </summary>
[Trait("Category", "Faults")]
public sealed class RealtimeFaultTests
{
    private const int Watchers = 3;
    private const int Writers = 4;
    private const int WritesPerWriter = 120;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Under_dropped_stalled_and_refused_links_every_watcher_ends_with_the_servers_state_and_one_resync_per_loss()
    {
        var random = new Random(20261206);
        await using var emulator = await MudbaseEmulator.StartAsync(new MudbaseEmulatorOptions
        {
            EnableRateLimits = false,
            RealtimePingInterval = TimeSpan.FromMilliseconds(250),
            RealtimePingTimeout = TimeSpan.FromMilliseconds(250),
        }, Ct);
        var name = "watched";
        var options = new EmulatorCollectionOptions(name);
        options.Permissions.Add(new EmulatorCollectionGrant("authenticated", "create", "read", "update", "delete"));
        emulator.CreateCollection(options);
        await using var writerClient = new MudbaseClient(new MudbaseClientOptions
        {
            BaseUrl = emulator.BaseUrl,
            ProjectId = emulator.DefaultProjectId,
            ApiKey = emulator.ApiKey,
            Timeout = TimeSpan.FromSeconds(3),
            Retry = { MaxRetries = 6, BaseDelay = TimeSpan.FromMilliseconds(5), MaxDelay = TimeSpan.FromMilliseconds(50) },
        });
        var todos = writerClient.Data.Collection(name);
        var seeded = new ConcurrentBag<string>();
        for (var i = 0; i < 30; i++)
        {
            seeded.Add((await todos.CreateAsync(new MudbaseDocument(new JsonObject { ["title"] = "seed " + i }), Ct)).Id!);
        }

        await using var watcherClient = new MudbaseClient(new MudbaseClientOptions
        {
            BaseUrl = emulator.BaseUrl,
            ProjectId = emulator.DefaultProjectId,
            Retry = { MaxRetries = 6, BaseDelay = TimeSpan.FromMilliseconds(5), MaxDelay = TimeSpan.FromMilliseconds(50) },
            Realtime = { ReconnectDelay = TimeSpan.FromMilliseconds(50), MaxReconnectDelay = TimeSpan.FromMilliseconds(400) },
        });
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var watchers = new List<(CollectionMirror Mirror, Task Run)>();
        for (var i = 0; i < Watchers; i++)
        {
            var view = watcherClient.WithSession(null);
            await view.Auth.CreateAnonymousAsync(cancellationToken: Ct);
            var mirror = new CollectionMirror();
            watchers.Add((mirror, mirror.RunAsync(view.Data.Collection(name).WatchAsync(new WatchOptions { IncludeExisting = true }, stop.Token))));
        }

        await WaitUntilAsync(() => watchers.All(w => w.Mirror.State.Count == 30), TimeSpan.FromSeconds(20));

        // REST chaos on the writes and on the watchers' fetches; realtime chaos from a driver alongside.
        emulator.SetChaos(new EmulatorChaosOptions
        {
            Seed = 7,
            ResetBeforeAnswer = 0.03, ResetAfterProcessing = 0.03, ServerErrorJson = 0.03, BadGatewayHtml = 0.03,
            ServiceUnavailable = 0.03, TruncatedJson = 0.03, EmptyBody = 0.02,
            Applies = request => !request.Path.StartsWithSegments("/socket.io"),
        });
        var faults = new ConcurrentDictionary<string, int>();
        using var writing = new CancellationTokenSource();
        var driver = Task.Run(async () =>
        {
            while (!writing.IsCancellationRequested)
            {
                await Task.Delay(random.Next(150, 400), CancellationToken.None);
                switch (random.Next(5))
                {
                    case 0 or 1:
                        var dropped = emulator.DropRealtimeConnections();
                        faults.AddOrUpdate("dropped", dropped, (_, n) => n + dropped);
                        break;
                    case 2 or 3:
                        var stalled = emulator.StallRealtimeConnections();
                        faults.AddOrUpdate("stalled", stalled, (_, n) => n + stalled);
                        break;
                    default:
                        using (emulator.RefuseRealtimeConnections())
                        {
                            faults.AddOrUpdate("refused windows", 1, (_, n) => n + 1);
                            await Task.Delay(300, CancellationToken.None);
                        }

                        break;
                }
            }
        }, Ct);

        var ambiguous = 0;
        await Task.WhenAll(Enumerable.Range(0, Writers).Select(w => Task.Run(async () =>
        {
            var rng = new Random(w);
            var mine = new List<string>();
            for (var i = 0; i < WritesPerWriter; i++)
            {
                try
                {
                    var roll = rng.Next(10);
                    if (roll < 5 || mine.Count == 0)
                    {
                        mine.Add((await todos.CreateAsync(new MudbaseDocument(new JsonObject { ["title"] = $"w{w} #{i}" }), Ct)).Id!);
                    }
                    else if (roll < 8)
                    {
                        await todos.UpdateAsync(mine[rng.Next(mine.Count)], new JsonObject { ["title"] = $"w{w} edit {i}" }, Ct);
                    }
                    else
                    {
                        var id = mine[rng.Next(mine.Count)];
                        mine.Remove(id);
                        await todos.DeleteAsync(id, Ct);
                    }
                }
                catch (MudbaseException)
                {
                    // A write that failed (or may have happened): whatever the server holds is what watchers must hold.
                    Interlocked.Increment(ref ambiguous);
                }
            }
        }, Ct)));

        await writing.CancelAsync();
        await driver;
        emulator.SetChaos(null);

        // Quiet now: every watcher converges on the server's state.
        var server = new Dictionary<string, string>();
        await foreach (var document in todos.PageSize(100).ToAsyncEnumerable(Ct))
        {
            server[document.Id!] = (string?)document["title"] ?? "";
        }

        await WaitUntilAsync(() => watchers.All(w => w.Mirror.Gaps == 0 && w.Mirror.Titles() is var titles && titles.Count == server.Count && titles.All(pair => server.GetValueOrDefault(pair.Key) == pair.Value)), TimeSpan.FromSeconds(30));
        foreach (var (mirror, _) in watchers)
        {
            Assert.Equal(server, mirror.Titles());
            Assert.Equal(mirror.Count<CollectionEvent<MudbaseDocument>.Disconnected>(), mirror.Count<CollectionEvent<MudbaseDocument>.Resynced>());
            Assert.True(mirror.Count<CollectionEvent<MudbaseDocument>.Resynced>() >= 1, "the links were cut at least once");
        }

        // MUDBASE_FAULT_REPORT=<file> appends the run's figures (tests/RELIABILITY.md quotes them).
        var report =
            $"realtime fault leg: {Writers * WritesPerWriter} writes ({ambiguous} failed or ambiguous), faults {string.Join(", ", faults.Select(p => p.Key + " " + p.Value))}, " +
            $"resyncs per watcher {string.Join("/", watchers.Select(w => w.Mirror.Count<CollectionEvent<MudbaseDocument>.Resynced>()))}, final documents {server.Count}";
        if (Environment.GetEnvironmentVariable("MUDBASE_FAULT_REPORT") is { Length: > 0 } reportPath)
        {
            await File.AppendAllTextAsync(reportPath, report + Environment.NewLine, Ct);
        }

        await stop.CancelAsync();
        foreach (var (_, run) in watchers)
        {
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run);
        }
    }

    private static async Task WaitUntilAsync(Func<bool> condition, TimeSpan patience)
    {
        var deadline = DateTime.UtcNow + patience;
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "timed out waiting for the watchers");
            await Task.Delay(20, Ct);
        }
    }
}
