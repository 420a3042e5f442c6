using System.Diagnostics;
using System.Diagnostics.Tracing;
using System.Globalization;
using System.Text;
using System.Text.Json.Serialization;
using Mudbase.Data;
using Mudbase.Emulator;
using Mudbase.Realtime;

namespace Mudbase.Benchmarks;

/// <summary>
/// <c>-- realtime PART [options]</c>: the realtime streams' speed and footprint (see benchmarks/README.md, "Realtime").
/// <list type="bullet">
/// <item><c>throughput [--events 40000] [--rounds 11] [--window 512] [--warmup 200000]</c>: events per second and
/// allocated bytes per event through one connection to one consumer, from <see cref="FakeRealtimeServer"/> (frames
/// encoded before the run), the contenders in alternating blocks: the hand-written ClientWebSocket loop (the
/// baseline), the SDK (<c>Collection(…).WatchAsync()</c> on <c>new MudbaseClient(options)</c>, signed in anonymously),
/// and a ClientWebSocket loop that parses nothing (the floor of any such client).</item>
/// <item><c>open-loop [--events 200000]</c>: the same frames with no window, as fast as the socket takes them.</item>
/// <item><c>soak [--seconds 60]</c>: memory over a long run (GC heap after full collections, working set).</item>
/// <item><c>latency [--samples 400]</c>: a REST create against the real emulator → the event reaching the consumer.</item>
/// <item><c>profile [--events 600000]</c>: the SDK alone, its allocations sampled by type (the runtime's AllocationTick).</item>
/// </list>
/// </summary>
public static class RealtimeBench
{
    private const int Documents = 1000;

    public static async Task<int> RunAsync(string[] args)
    {
        var part = args.Length > 0 && !args[0].StartsWith("--", StringComparison.Ordinal) ? args[0] : "throughput";
        Console.WriteLine($"realtime {part}: {Environment.ProcessorCount} cores, load average {LoadAverage()}, {DateTime.Now:HH:mm:ss}");
        var result = part switch
        {
            "throughput" => await ThroughputAsync(
                Long(args, "--events", 40_000), Int(args, "--rounds", 11), Int(args, "--window", 512), Long(args, "--warmup", 200_000)),
            "open-loop" => await OpenLoopAsync(Long(args, "--events", 200_000)),
            "soak" => await SoakAsync(Int(args, "--seconds", 60), Int(args, "--window", 512)),
            "latency" => await LatencyAsync(Int(args, "--samples", 400)),
            "profile" => await ProfileAsync(Long(args, "--events", 600_000), Int(args, "--window", 512)),
            _ => throw new ArgumentException($"Unknown part {part} (throughput, open-loop, soak, latency, profile)."),
        };
        Console.WriteLine($"load average at the end {LoadAverage()}, {DateTime.Now:HH:mm:ss}");
        return result;
    }

    /// <summary>
    /// <c>42["db:update",{projectId, collectionId, action, data, timestamp}]</c> as the emulator sends it, its document of
    /// the todo kind (id, title, done, priority, owner, two dates): about 330 bytes.
    /// </summary>
    public static byte[] UpdateFrame(int document, int version, int sequence) => Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture,
        $$"""42["db:update",{"projectId":"{{Payloads.ProjectId}}","collectionId":"{{FakeRealtimeServer.CollectionId}}","action":"update","data":{"_id":"6650c2f1a1b2c3d4e5f{{document:D5}}","title":"Todo {{document}}, version {{version % 2}}","done":{{(version % 2 == 1 ? "true" : "false")}},"priority":{{sequence % 5}},"userId":"{{Payloads.UserId}}","createdAt":"2026-11-01T08:00:00.000Z","updatedAt":"2026-11-02T09:30:{{sequence % 60:D2}}.000Z"},"timestamp":"2026-11-02T09:30:00.000Z"}]"""));

    // ---- throughput and bytes per event ----

    private static async Task<int> ThroughputAsync(long events, int rounds, int window, long warmup)
    {
        events = RoundUp(events);
        var ring = new EventRing(Documents);
        await using var server = new FakeRealtimeServer(ring);
        var contenders = new List<Contender>
        {
            await Contender.HandWrittenAsync(server),
            await Contender.SdkAsync(server),
            await Contender.ReceiveOnlyAsync(server),
        };
        Console.WriteLine($"{Documents} documents updated in turn, frames of {ring.PayloadBytes} B, window {window} events, blocks of {events} events, {rounds} rounds, {warmup} warm-up events each");

        foreach (var contender in contenders)
        {
            await contender.RunBlockAsync(RoundUp(warmup), window);
        }

        var rates = contenders.Select(_ => new List<double>()).ToArray();
        var ratios = contenders.Select(_ => new List<double>()).ToArray();
        var bytes = contenders.Select(_ => new List<double>()).ToArray();
        var cpu = contenders.Select(_ => new List<double>()).ToArray();
        for (var round = 0; round < rounds; round++)
        {
            var roundRate = new double[contenders.Count];
            for (var k = 0; k < contenders.Count; k++)
            {
                var index = (k + round) % contenders.Count;
                var block = await contenders[index].RunBlockAsync(events, window);
                rates[index].Add(block.EventsPerSecond);
                bytes[index].Add(block.BytesPerEvent);
                cpu[index].Add(block.CpuMicrosecondsPerEvent);
                roundRate[index] = block.EventsPerSecond;
            }

            for (var k = 0; k < contenders.Count; k++)
            {
                ratios[k].Add(roundRate[k] / roundRate[0]);
            }
        }

        Console.WriteLine();
        Console.WriteLine("| contender | events/s (median) | / hand-written (median of rounds) | median's 95 % CI | process CPU µs/event | allocated B/event | / hand-written |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|");
        var baselineBytes = Median(bytes[0]);
        for (var i = 0; i < contenders.Count; i++)
        {
            var r = ratios[i].Order().ToArray();
            var spread = (int)Math.Ceiling(0.98 * Math.Sqrt(r.Length));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {contenders[i].Name} | {Median(rates[i]):N0} | {Median(r):F3} | {r[Math.Max(0, (r.Length / 2) - spread)]:F3}-{r[Math.Min(r.Length - 1, (r.Length / 2) + spread)]:F3} | {Median(cpu[i]):F2} | {Median(bytes[i]):F0} | {Median(bytes[i]) / baselineBytes:F3} |"));
        }

        Console.WriteLine();
        foreach (var contender in contenders)
        {
            Console.WriteLine($"{contender.Name}: {contender.Consumed} events seen, {contender.Coalesced} coalesced, {contender.Disconnects} disconnects, checksum {contender.Checksum}");
        }

        foreach (var contender in contenders)
        {
            await contender.DisposeAsync();
        }

        return 0;
    }

    // ---- no window: as fast as the socket takes them ----

    private static async Task<int> OpenLoopAsync(long events)
    {
        events = RoundUp(events);
        await using var server = new FakeRealtimeServer(new EventRing(Documents));
        foreach (var make in new Func<FakeRealtimeServer, Task<Contender>>[] { Contender.HandWrittenAsync, Contender.SdkAsync })
        {
            await using var contender = await make(server);
            await contender.RunBlockAsync(RoundUp(100_000), 512);
            var seenBefore = contender.Consumed;
            var started = Stopwatch.GetTimestamp();
            var whole = await contender.Server.SendEventsAsync(events, 0, () => contender.Consumed, null);
            var sentIn = Stopwatch.GetElapsedTime(started);
            var deadline = Stopwatch.StartNew();
            while (contender.Consumed - seenBefore < events && deadline.Elapsed < TimeSpan.FromSeconds(10))
            {
                await Task.Delay(10);
            }

            var elapsed = Stopwatch.GetElapsedTime(started);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{contender.Name}: {(whole ? $"{events} events written in {sentIn.TotalMilliseconds:F0} ms" : $"the client closed the connection after {sentIn.TotalMilliseconds:F0} ms")}; consumer saw {contender.Consumed - seenBefore} ({contender.Coalesced} coalesced) in {elapsed.TotalMilliseconds:F0} ms; disconnects {contender.Disconnects}, resyncs {contender.Resyncs}"));
        }

        return 0;
    }

    // ---- memory over a long run ----

    private static async Task<int> SoakAsync(int seconds, int window)
    {
        await using var server = new FakeRealtimeServer(new EventRing(Documents));
        foreach (var make in new Func<FakeRealtimeServer, Task<Contender>>[] { Contender.SdkAsync, Contender.HandWrittenAsync })
        {
            await using var contender = await make(server);
            await contender.RunBlockAsync(RoundUp(200_000), window);
            var (heap0, ws0) = Settled();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{contender.Name}: after warm-up, heap {heap0 / 1024.0:N0} KB (after full GCs), working set {ws0 / 1048576.0:F1} MB; {seconds} s of events, a line every {seconds / 6} s:"));
            var clock = Stopwatch.StartNew();
            var next = seconds / 6.0;
            long sent = 0;
            var gen2 = GC.CollectionCount(2);
            while (clock.Elapsed.TotalSeconds < seconds)
            {
                await contender.RunBlockAsync(RoundUp(20_000), window);
                sent += RoundUp(20_000);
                if (clock.Elapsed.TotalSeconds >= next)
                {
                    next += seconds / 6.0;
                    var info = GC.GetGCMemoryInfo();
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"  {clock.Elapsed.TotalSeconds,5:F0} s  {sent,10:N0} events  heap at last GC {info.HeapSizeBytes / 1024.0,8:N0} KB  working set {Environment.WorkingSet / 1048576.0,6:F1} MB  gen0/1/2 {GC.CollectionCount(0)}/{GC.CollectionCount(1)}/{GC.CollectionCount(2)}"));
                }
            }

            var gen2During = GC.CollectionCount(2) - gen2;
            var (heap1, ws1) = Settled();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  end: {sent:N0} events in {clock.Elapsed.TotalSeconds:F0} s ({sent / clock.Elapsed.TotalSeconds:N0}/s), heap {heap1 / 1024.0:N0} KB (after full GCs; {(heap1 - heap0) / 1024.0:+#,0;-#,0;0} KB), working set {ws1 / 1048576.0:F1} MB ({(ws1 - ws0) / 1048576.0:+0.0;-0.0;0} MB), gen2 collections during the run {gen2During}, disconnects {contender.Disconnects}"));
        }

        return 0;

        static (long Heap, long WorkingSet) Settled()
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
            GC.Collect();
            return (GC.GetTotalMemory(forceFullCollection: true), Environment.WorkingSet);
        }
    }

    // ---- latency against the real emulator ----

    private static async Task<int> LatencyAsync(int samples)
    {
        await using var emulator = await MudbaseEmulator.StartAsync(new MudbaseEmulatorOptions { EnableRateLimits = false });
        string NewCollection()
        {
            var name = "live_" + Guid.NewGuid().ToString("N")[..8];
            var options = new EmulatorCollectionOptions(name);
            options.Permissions.Add(new EmulatorCollectionGrant("authenticated", "create", "read", "update", "delete"));
            emulator.CreateCollection(options);
            return name;
        }

        MudbaseClient NewClient() => new(new MudbaseClientOptions { BaseUrl = emulator.BaseUrl, ProjectId = emulator.DefaultProjectId });

        var sdkCollection = NewCollection();
        var baselineCollection = NewCollection();
        await using var watcher = NewClient();
        await watcher.Auth.CreateAnonymousAsync();
        using var baselineUser = NewClient();
        var baselineToken = (await baselineUser.Auth.CreateAnonymousAsync()).Token;
        using var writer = NewClient();
        await writer.Auth.CreateAnonymousAsync();

        using var stop = new CancellationTokenSource();
        var sdkProbe = new LatencyProbe();
        var baselineProbe = new LatencyProbe();
        var sdkRun = Task.Run(async () =>
        {
            await foreach (var e in watcher.Data.Collection(sdkCollection, RtJsonContext.Default.RtTodo).WatchAsync(cancellationToken: stop.Token))
            {
                if (e is CollectionEvent<RtTodo>.Created created)
                {
                    sdkProbe.Saw(created.Document.Priority);
                }
            }
        });
        var baselineRun = Task.Run(async () =>
        {
            await foreach (var change in HandWrittenRealtime.WatchAsync(emulator.BaseUrl, baselineToken, emulator.DefaultProjectId, baselineCollection, RtJsonContext.Default.RtTodo, stop.Token))
            {
                if (change.Document is { } document)
                {
                    baselineProbe.Saw(document.Priority);
                }
            }
        });

        var patience = Stopwatch.StartNew();
        while (emulator.GetRealtimeSubscriberCount(sdkCollection) != 1 || emulator.GetRealtimeSubscriberCount(baselineCollection) != 1)
        {
            if (patience.Elapsed > TimeSpan.FromSeconds(20))
            {
                throw new TimeoutException("The watches did not subscribe.");
            }

            await Task.Delay(10);
        }

        var targets = new[]
        {
            ("SDK WatchAsync", writer.Data.Collection(sdkCollection, RtJsonContext.Default.RtTodo), sdkProbe),
            ("hand-written", writer.Data.Collection(baselineCollection, RtJsonContext.Default.RtTodo), baselineProbe),
        };

        // A watch yields what changes after it fetched its state, and nothing public says when that was: a write made
        // between the server's subscription and the fetch is part of the state fetched. So: write until each sees one.
        for (var t = 0; t < targets.Length; t++)
        {
            var (_, collection, probe) = targets[t];
            for (var attempt = 0; ; attempt++)
            {
                var first = probe.Expect(-1 - attempt);
                await collection.CreateAsync(new RtTodo { Title = "settle", Priority = -1 - attempt, UserId = Payloads.UserId });
                if (await Task.WhenAny(first, Task.Delay(TimeSpan.FromSeconds(1))) == first)
                {
                    break;
                }
            }
        }

        var warm = 100;
        var seen = targets.Select(_ => new List<double>()).ToArray();
        var rest = targets.Select(_ => new List<double>()).ToArray();
        Console.WriteLine($"emulator in this process, one writer (REST create, signed in), {warm} warm-up writes per watch, then {samples} each, alternating");
        for (var i = 0; i < warm + samples; i++)
        {
            for (var t = 0; t < targets.Length; t++)
            {
                var (_, collection, probe) = targets[(i + t) % targets.Length];
                var index = (i + t) % targets.Length;
                var wait = probe.Expect(i);
                var started = Stopwatch.GetTimestamp();
                await collection.CreateAsync(new RtTodo { Title = "todo " + i, Priority = i, UserId = Payloads.UserId });
                var written = Stopwatch.GetTimestamp();
                if (await Task.WhenAny(wait, Task.Delay(TimeSpan.FromSeconds(10))) != wait)
                {
                    throw new TimeoutException($"{targets[index].Item1} did not see write {i} (SDK stream {sdkRun.Status}, hand-written {baselineRun.Status}).");
                }

                var at = await wait;
                if (i >= warm)
                {
                    seen[index].Add(Stopwatch.GetElapsedTime(started, at).TotalMilliseconds);
                    rest[index].Add(Stopwatch.GetElapsedTime(started, written).TotalMilliseconds);
                }
            }
        }

        Console.WriteLine();
        Console.WriteLine("| watch | write → event seen p50 | p90 | p99 | max | REST create p50 | p99 |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|");
        for (var t = 0; t < targets.Length; t++)
        {
            var s = seen[t].Order().ToArray();
            var r = rest[t].Order().ToArray();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {targets[t].Item1} | {P(s, 50):F3} ms | {P(s, 90):F3} ms | {P(s, 99):F3} ms | {s[^1]:F3} ms | {P(r, 50):F3} ms | {P(r, 99):F3} ms |"));
        }

        await stop.CancelAsync();
        await Task.WhenAll(sdkRun, baselineRun).ContinueWith(_ => { }, TaskScheduler.Default);
        return 0;

        static double P(double[] sorted, int percentile) => sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(sorted.Length * percentile / 100.0) - 1)];
    }

    /// <summary>The consumer's side of one latency sample: when the event with the expected priority arrived.</summary>
    private sealed class LatencyProbe
    {
        private volatile Pending? _pending;

        public Task<long> Expect(int priority)
        {
            var pending = new Pending(priority);
            _pending = pending;
            return pending.Seen.Task;
        }

        public void Saw(int priority)
        {
            var at = Stopwatch.GetTimestamp();
            if (_pending is { } pending && pending.Priority == priority)
            {
                pending.Seen.TrySetResult(at);
            }
        }

        private sealed class Pending(int priority)
        {
            public int Priority { get; } = priority;

            public TaskCompletionSource<long> Seen { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
        }
    }

    // ---- where the SDK's bytes go ----

    private static async Task<int> ProfileAsync(long events, int window)
    {
        events = RoundUp(events);
        await using var server = new FakeRealtimeServer(new EventRing(Documents));
        await using var contender = await Contender.SdkAsync(server);
        await contender.RunBlockAsync(RoundUp(200_000), window);
        using var listener = new AllocationListener();
        var block = await contender.RunBlockAsync(events, window);
        listener.Dispose();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"SDK: {events} events, {block.BytesPerEvent:F0} B/event allocated in all; sampled by type (one sample per ~100 KB allocated):"));
        var total = listener.ByType.Values.Sum();
        foreach (var (type, amount) in listener.ByType.OrderByDescending(p => p.Value).Take(25))
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {amount * 100.0 / total,5:F1} %  ~{amount / (double)events,6:F1} B/event  {type}"));
        }

        return 0;
    }

    private sealed class AllocationListener : EventListener
    {
        private readonly object _gate = new();

        public Dictionary<string, long> ByType { get; } = [];

        protected override void OnEventSourceCreated(EventSource eventSource)
        {
            if (eventSource.Name == "Microsoft-Windows-DotNETRuntime")
            {
                EnableEvents(eventSource, EventLevel.Verbose, (EventKeywords)0x1); // GC keyword: AllocationTick
            }
        }

        protected override void OnEventWritten(EventWrittenEventArgs eventData)
        {
            if (eventData.EventName?.StartsWith("GCAllocationTick", StringComparison.Ordinal) != true || eventData.Payload is null)
            {
                return;
            }

            var names = eventData.PayloadNames!;
            var type = eventData.Payload[names.IndexOf("TypeName")] as string ?? "?";
            var amount = Convert.ToInt64(eventData.Payload[names.IndexOf("AllocationAmount64")], CultureInfo.InvariantCulture);
            lock (_gate)
            {
                ByType[type] = ByType.GetValueOrDefault(type) + amount;
            }
        }
    }

    // ---- the contenders ----

    private readonly record struct Block(double EventsPerSecond, double BytesPerEvent, double CpuMicrosecondsPerEvent);

    /// <summary>One consumer on its own connection to the fake server; the server's side of it sends its events.</summary>
    private sealed class Contender : IAsyncDisposable
    {
        private readonly CancellationTokenSource _stop = new();
        private readonly SemaphoreSlim _progress = new(0);
        private Task _run = Task.CompletedTask;
        private IAsyncDisposable? _owner;
        private long _consumed;

        private Contender(string name) => Name = name;

        public string Name { get; }

        public FakeRealtimeConnection Server { get; private set; } = null!;

        public long Consumed => Volatile.Read(ref _consumed);

        public long Coalesced { get; private set; }

        public int Disconnects { get; private set; }

        public int Resyncs { get; private set; }

        public long Checksum { get; private set; }

        public static async Task<Contender> SdkAsync(FakeRealtimeServer server)
        {
            var contender = new Contender("SDK WatchAsync");
            var client = new MudbaseClient(new MudbaseClientOptions { BaseUrl = server.BaseUrl, ProjectId = Payloads.ProjectId });
            contender._owner = client;
            await client.Auth.CreateAnonymousAsync();
            var todos = client.Data.Collection(FakeRealtimeServer.CollectionName, RtJsonContext.Default.RtTodo);
            var listsBefore = server.ListCalls;
            var token = contender._stop.Token;
            contender._run = Task.Run(async () =>
            {
                await foreach (var e in todos.WatchAsync(cancellationToken: token))
                {
                    switch (e)
                    {
                        case CollectionEvent<RtTodo>.Updated updated:
                            contender.Checksum += updated.Document.Priority + updated.Document.Title!.Length;
                            contender.Saw(1);
                            break;
                        case CollectionEvent<RtTodo>.Created created:
                            contender.Checksum += created.Document.Priority + created.Document.Title!.Length;
                            contender.Saw(1);
                            break;
                        case CollectionEvent<RtTodo>.Overflowed overflowed:
                            contender.Coalesced += overflowed.Coalesced;
                            contender.Saw(overflowed.Coalesced);
                            break;
                        case CollectionEvent<RtTodo>.Disconnected:
                            contender.Disconnects++;
                            break;
                        case CollectionEvent<RtTodo>.Resynced:
                            contender.Resyncs++;
                            break;
                    }
                }
            }, CancellationToken.None);
            await contender.SubscribedAsync(server);

            // The watch fetches its state after the ack; events before that are part of the state fetched (here: none),
            // so the runs start once it has been answered.
            var waited = Stopwatch.StartNew();
            while (server.ListCalls == listsBefore)
            {
                if (waited.Elapsed > TimeSpan.FromSeconds(20))
                {
                    throw new TimeoutException("The watch did not fetch its state.");
                }

                await Task.Delay(10);
            }

            return contender;
        }

        public static async Task<Contender> HandWrittenAsync(FakeRealtimeServer server)
        {
            var contender = new Contender("hand-written ClientWebSocket");
            var token = contender._stop.Token;
            contender._run = Task.Run(async () =>
            {
                await foreach (var change in HandWrittenRealtime.WatchAsync(
                    server.BaseUrl, Payloads.Token, Payloads.ProjectId, FakeRealtimeServer.CollectionName, RtJsonContext.Default.RtTodo, token))
                {
                    contender.Checksum += change.Document!.Priority + change.Document.Title!.Length;
                    contender.Saw(1);
                }
            }, CancellationToken.None);
            await contender.SubscribedAsync(server);
            return contender;
        }

        public static async Task<Contender> ReceiveOnlyAsync(FakeRealtimeServer server)
        {
            var contender = new Contender("ClientWebSocket, no parsing (floor)");
            var token = contender._stop.Token;
            contender._run = Task.Run(async () =>
            {
                await foreach (var length in HandWrittenRealtime.ReceiveOnlyAsync(server.BaseUrl, Payloads.Token, Payloads.ProjectId, FakeRealtimeServer.CollectionName, token))
                {
                    contender.Checksum += length;
                    contender.Saw(1);
                }
            }, CancellationToken.None);
            await contender.SubscribedAsync(server);
            return contender;
        }

        /// <summary>Sends a block of events (at most window ahead of the consumer) and waits until the consumer saw them all.</summary>
        public async Task<Block> RunBlockAsync(long events, int window)
        {
            var target = Consumed + events;
            var cpu = Environment.CpuUsage.TotalTime;
            var allocated = GC.GetTotalAllocatedBytes(precise: true);
            var started = Stopwatch.GetTimestamp();
            if (!await Server.SendEventsAsync(events, window, () => Consumed, _progress))
            {
                throw new InvalidOperationException(Name + " closed its connection.");
            }

            var stalled = 0;
            while (Consumed < target)
            {
                if (_run.IsCompleted)
                {
                    await _run; // the consumer failed: say why
                    throw new InvalidOperationException(Name + "'s stream ended.");
                }

                stalled = await _progress.WaitAsync(TimeSpan.FromSeconds(1)) ? 0 : stalled + 1;
                if (stalled == 30)
                {
                    throw new TimeoutException($"{Name} saw nothing for 30 s: {target - Consumed} of {events} events missing.");
                }
            }

            var elapsed = Stopwatch.GetElapsedTime(started);
            var bytes = GC.GetTotalAllocatedBytes(precise: true) - allocated;
            var cpuTime = Environment.CpuUsage.TotalTime - cpu;
            return new Block(events / elapsed.TotalSeconds, bytes / (double)events, cpuTime.TotalMicroseconds / events);
        }

        public async ValueTask DisposeAsync()
        {
            await _stop.CancelAsync();
            try
            {
                await _run;
            }
            catch (OperationCanceledException)
            {
            }

            if (_owner is not null)
            {
                await _owner.DisposeAsync();
            }
        }

        // The progress signal moves every 64 events (blocks are multiples of 64), so the sender wakes rarely and allocates little.
        private void Saw(long count)
        {
            var before = _consumed;
            var after = before + count;
            Volatile.Write(ref _consumed, after);
            if ((after >> 6) != (before >> 6))
            {
                _progress.Release();
            }
        }

        private async Task SubscribedAsync(FakeRealtimeServer server)
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
            Server = await server.NextSubscribedAsync(timeout.Token);
        }
    }

    // ---- helpers ----

    private static long RoundUp(long events) => (events + 63) / 64 * 64;

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted[sorted.Length / 2];
    }

    private static long Long(string[] args, string name, long fallback) =>
        args.SkipWhile(a => a != name).Skip(1).Select(a => long.Parse(a, CultureInfo.InvariantCulture)).FirstOrDefault(fallback);

    private static int Int(string[] args, string name, int fallback) => (int)Long(args, name, fallback);

    private static string LoadAverage() => File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "?";
}

/// <summary>The document of the realtime runs, as an app would declare it.</summary>
public sealed class RtTodo
{
    [JsonPropertyName("_id")]
    public string? Id { get; set; }

    public string? Title { get; set; }

    public bool Done { get; set; }

    public int Priority { get; set; }

    public string? UserId { get; set; }

    public DateTimeOffset? CreatedAt { get; set; }

    public DateTimeOffset? UpdatedAt { get; set; }
}

[JsonSourceGenerationOptions(System.Text.Json.JsonSerializerDefaults.Web, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(RtTodo))]
public sealed partial class RtJsonContext : JsonSerializerContext;
