using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Mudbase.Auth;
using Mudbase.Data;
using Mudbase.Emulator;
using Mudbase.Tests.Support;

namespace Mudbase.Tests.Faults;

/// <summary>
/// Thousands of calls through the emulator's chaos mode (20 % of requests faulted, every kind), several callers at
/// once, counting what went wrong. Size: MUDBASE_FAULT_CALLS (default 5,000); seed: MUDBASE_FAULT_SEED.
/// </summary>
[Trait("Category", "Faults")]
public sealed class FaultSuiteTests
{
    private const string Password = "Fault-Suite-Passw0rd!";
    private const string ApiKey = "ak_fault_suite_never_shown";
    private const int Callers = 16;
    private const double FaultRate = 0.20;
    private const string Notes = "notes";

    private static readonly TimeSpan Timeout = TimeSpan.FromMilliseconds(400);
    private static readonly MudbaseRetryOptions Retry = new()
    {
        MaxRetries = 10,
        BaseDelay = TimeSpan.FromMilliseconds(2),
        MaxDelay = TimeSpan.FromMilliseconds(20),
        MaxRetryAfter = TimeSpan.FromSeconds(1.5),
    };

    private static int TotalCalls => int.TryParse(Environment.GetEnvironmentVariable("MUDBASE_FAULT_CALLS"), out var n) && n > 0 ? n : 5_000;

    private static int Seed => int.TryParse(Environment.GetEnvironmentVariable("MUDBASE_FAULT_SEED"), out var n) ? n : 20261123;

    /// <summary>The longest a call may take: every attempt timing out, every wait at its longest, and a refresh that does the same.</summary>
    private static TimeSpan CallBudget =>
        2 * ((Retry.MaxRetries + 1) * Timeout + Retry.MaxRetries * (Retry.MaxRetryAfter > Retry.MaxDelay ? Retry.MaxRetryAfter : Retry.MaxDelay)) + TimeSpan.FromSeconds(2);

    private static EmulatorChaosOptions Chaos(int seed)
    {
        var each = FaultRate / 13;
        return new EmulatorChaosOptions
        {
            Seed = seed,
            ResetBeforeAnswer = each, ResetAfterProcessing = each, ServerErrorJson = each, BadGatewayHtml = each,
            GatewayTimeoutHtml = each, ServiceUnavailable = each, RateLimitedShort = each, RateLimitedLong = each,
            SlowResponse = each, SlowResponseDelay = TimeSpan.FromSeconds(1), TruncatedJson = each, EmptyBody = each,
            UnexpectedShape = each, ExtraFields = each,
        };
    }

    [Fact]
    public async Task Thousands_of_calls_through_faults_lose_nothing_duplicate_nothing_and_leak_nothing()
    {
        var logs = new CapturingLoggerProvider();
        using var loggerFactory = logs.CreateFactory();
        var run = new Run();
        await using var emulator = await MudbaseEmulator.StartAsync(new MudbaseEmulatorOptions
        {
            EnableRateLimits = false,
            AccessTokenLifetime = TimeSpan.FromSeconds(1), // refresh through expiry, many times per session
            Chaos = Chaos(Seed),
        }, Wire.Ct);
        CreateNotes(emulator);
        // Every start sends a nonce of its own: a nonce run twice is a start sent twice.
        var runsByNonce = new ConcurrentDictionary<string, int>();
        var functionId = emulator.CreateFunction("fault-suite", (fn, _) =>
        {
            runsByNonce.AddOrUpdate((string)fn.Payload!["nonce"]!, 1, (_, n) => n + 1);
            return Task.FromResult<JsonNode?>(null);
        }, new EmulatorFunctionOptions { MaxExecutionsPerMinute = null }, emulator.NoVerificationProjectId);
        using var client = new MudbaseClient(new MudbaseClientOptions
        {
            BaseUrl = emulator.BaseUrl,
            ProjectId = emulator.NoVerificationProjectId,
            ApiKey = ApiKey,
            Timeout = Timeout,
            Retry = Retry,
            LoggerFactory = loggerFactory,
        });

        var mixedCalls = TotalCalls * 4 / 5;
        await Task.WhenAll(Enumerable.Range(0, Callers).Select(w => MixedCallerAsync(client, w, run, mixedCalls, functionId)));

        // Reads on long-lived sessions (a server of its own, with day-long tokens), signed in before chaos starts there.
        await using var readEmulator = await MudbaseEmulator.StartAsync(new MudbaseEmulatorOptions { EnableRateLimits = false }, Wire.Ct);
        CreateNotes(readEmulator);
        var seeded = await SeedNotesAsync(readEmulator);
        using var readClient = new MudbaseClient(new MudbaseClientOptions
        {
            BaseUrl = readEmulator.BaseUrl,
            ProjectId = readEmulator.DefaultProjectId,
            ApiKey = ApiKey,
            Timeout = Timeout,
            Retry = Retry,
            LoggerFactory = loggerFactory,
        });
        var readers = new List<IMudbaseClient>();
        for (var i = 0; i < Callers; i++)
        {
            var reader = readClient.WithSession(null);
            run.Remember(await reader.Auth.CreateAnonymousAsync(cancellationToken: Wire.Ct));
            readers.Add(reader);
        }

        readEmulator.SetChaos(Chaos(Seed + 1));
        await Task.WhenAll(readers.Select(reader => ReadingCallerAsync(reader, seeded, run, TotalCalls - mixedCalls)));

        // Every document the run created, read back without faults: one per create call at most.
        emulator.SetChaos(null);
        using var auditor = new MudbaseClient(new MudbaseClientOptions { BaseUrl = emulator.BaseUrl, ProjectId = emulator.NoVerificationProjectId, ApiKey = emulator.GetApiKey(emulator.NoVerificationProjectId) });
        var nonces = new List<string>();
        await foreach (var note in auditor.Data.Collection(Notes).OrderBy("_id").PageSize(100).ToAsyncEnumerable(Wire.Ct))
        {
            nonces.Add((string)note["nonce"]!);
        }

        var stats = emulator.GetStatistics();
        var chaos = emulator.GetChaosStatistics();
        var readChaos = readEmulator.GetChaosStatistics();
        var createdTwice = nonces.GroupBy(n => n).Count(g => g.Count() > 1);
        var summary = run.Summary(stats, chaos, readChaos) + $"documents: {run.CountOf("create")} create calls, {nonces.Count} stored at the end (after deletes), created twice: {createdTwice}\n";
        TestContext.Current.TestOutputHelper?.WriteLine(summary);
        if (Environment.GetEnvironmentVariable("MUDBASE_FAULT_SUMMARY") is { Length: > 0 } path)
        {
            await File.WriteAllTextAsync(path, summary, Wire.Ct);
        }

        // Only the SDK's exceptions escape (no raw HttpRequestException, JsonException, TaskCanceledException…).
        Assert.True(run.Foreign.IsEmpty, "foreign exceptions escaped:\n" + string.Join("\n", run.Foreign.Take(5)));
        Assert.Equal(TotalCalls, run.Calls);
        // No document created twice by one CreateAsync call (every call sends a nonce of its own).
        Assert.Equal(0, createdTwice);
        Assert.True(run.CountOf("create") > 0 && run.CountOf("note") > 0, "the run should have written and read documents");
        // No function run twice for one StartAsync call.
        Assert.Equal(0, runsByNonce.Values.Count(n => n > 1));
        Assert.True(!runsByNonce.IsEmpty && runsByNonce.Count <= run.CountOf("function"), $"{runsByNonce.Count} runs for {run.CountOf("function")} starts");
        // No registration created twice by one RegisterAsync call (every call registers a new email).
        Assert.Equal(0, stats.DuplicateRegistrations);
        Assert.True(stats.UsersCreated <= run.CountOf("anonymous") + run.CountOf("register"), "more users than calls that create one");
        // No refresh token presented twice, except after the server processed a refresh whose answer never arrived.
        var lostRefreshAnswers = chaos.AnswersLostByPath.GetValueOrDefault("/api/auth/refresh");
        Assert.True(stats.RefreshTokenReuses <= lostRefreshAnswers,
            $"{stats.RefreshTokenReuses} refresh tokens were presented twice, but only {lostRefreshAnswers} refresh answers were lost");
        Assert.True(stats.RefreshRequests > Callers, "the run should have refreshed through expiry");
        // Reads whose faults were all retryable succeeded within the retry budget.
        Assert.True(run.UnexplainedReadFailures.IsEmpty, "reads failed on retryable faults:\n" + string.Join("\n", run.UnexplainedReadFailures.Take(5)));
        // No call outlived its timeouts and waits.
        Assert.True(run.Longest <= CallBudget, $"a call took {run.Longest} (budget {CallBudget})");
        // Nothing secret in any log line (Trace and up), exception message or ToString().
        var secrets = run.Tokens.Concat([Password, ApiKey]).ToList();
        var leaks = logs.Lines.Select(l => l.Message).Concat(run.ExceptionTexts).Where(text => secrets.Any(s => text.Contains(s, StringComparison.Ordinal))).ToList();
        Assert.True(leaks.Count == 0, "a secret was shown:\n" + string.Join("\n", leaks.Take(3)));
        Assert.True(logs.Lines.Count > TotalCalls, "the run should have been logged at Debug");
    }

    /// <summary>A user's life: a guest session, a registration, a login, then reads through several token expiries.</summary>
    private static async Task MixedCallerAsync(MudbaseClient client, int caller, Run run, int target, string functionId)
    {
        for (var round = 0; run.Take(target); round++)
        {
            var user = client.WithSession(null);
            user.Auth.SessionChanged += (_, e) => run.Remember(e.Session);
            await run.CallAsync("anonymous", () => user.Auth.CreateAnonymousAsync(cancellationToken: Wire.Ct));

            var email = $"fault.{caller}.{round}.{Guid.NewGuid():N}@northwind.dev";
            var registered = run.Take(target) && await run.CallAsync("register", () => user.Auth.RegisterAsync(
                new RegisterRequest { Email = email, Password = Password, FirstName = "Fault", LastName = "Suite" }, Wire.Ct));
            if (registered && run.Take(target))
            {
                await run.CallAsync("login", () => user.Auth.LoginAsync(new LoginRequest { Email = email, Password = Password }, Wire.Ct));
            }

            for (var i = 0; i < 6 && run.Take(target); i++)
            {
                await Task.Delay(100, Wire.Ct); // tokens live 1 s: these reads cross expiries and refresh
                await run.CallAsync("session", () => user.Auth.GetSessionAsync(cancellationToken: Wire.Ct));
            }

            await DocumentLifeAsync(user.Data.Collection(Notes), run, target);
            if (run.Take(target))
            {
                await run.CallAsync("function", () => user.Functions.StartAsync(functionId, new JsonObject { ["nonce"] = Guid.NewGuid().ToString("N") }, cancellationToken: Wire.Ct));
            }
        }
    }

    /// <summary>A document's life as the user: created (with a nonce of its own), updated, read, deleted.</summary>
    private static async Task DocumentLifeAsync(DocumentCollection<MudbaseDocument> notes, Run run, int target)
    {
        MudbaseDocument? note = null;
        if (!run.Take(target) || !await run.CallAsync("create", async () => note = await notes.CreateAsync(
            new MudbaseDocument(new JsonObject { ["title"] = "fault", ["nonce"] = Guid.NewGuid().ToString("N") }), Wire.Ct)))
        {
            return;
        }

        var id = note!.Id!;
        if (run.Take(target))
        {
            await run.CallAsync("update", () => notes.UpdateAsync(id, new JsonObject { ["title"] = "changed", ["tags"] = new JsonArray("a") }, Wire.Ct));
        }

        if (run.Take(target))
        {
            await run.CallAsync("get", () => notes.GetAsync(id, Wire.Ct));
        }

        if (run.Take(target))
        {
            await run.CallAsync("delete", async () =>
            {
                await notes.DeleteAsync(id, Wire.Ct);
                return true;
            });
        }
    }

    private static void CreateNotes(MudbaseEmulator emulator)
    {
        foreach (var project in new[] { emulator.DefaultProjectId, emulator.NoVerificationProjectId })
        {
            emulator.CreateCollection(
                new EmulatorCollectionOptions(Notes) { Permissions = { new EmulatorCollectionGrant("authenticated", "create", "read", "update", "delete") } },
                project);
        }
    }

    /// <summary>Documents for the readers, written before chaos starts there.</summary>
    private static async Task<string[]> SeedNotesAsync(MudbaseEmulator emulator)
    {
        using var writer = new MudbaseClient(new MudbaseClientOptions { BaseUrl = emulator.BaseUrl, ProjectId = emulator.DefaultProjectId, ApiKey = emulator.ApiKey });
        var notes = writer.Data.Collection(Notes);
        var ids = new string[20];
        for (var i = 0; i < ids.Length; i++)
        {
            ids[i] = (await notes.CreateAsync(new MudbaseDocument(new JsonObject { ["title"] = $"seeded {i}", ["nonce"] = $"seed-{i}" }), Wire.Ct)).Id!;
        }

        return ids;
    }

    /// <summary>Reads on a long-lived session: each must succeed unless its fault cannot be retried by design.</summary>
    private static async Task ReadingCallerAsync(IMudbaseClient reader, string[] seeded, Run run, int target)
    {
        var notes = reader.Data.Collection(Notes);
        for (var i = 0; run.Take(target, phase: 1); i++)
        {
            _ = (i % 3) switch
            {
                0 => await run.CallAsync("read", () => reader.Auth.GetSessionAsync(cancellationToken: Wire.Ct), isRead: true),
                1 => await run.CallAsync("note", () => notes.GetAsync(seeded[i % seeded.Length], Wire.Ct), isRead: true),
                _ => await run.CallAsync("notes", () => notes.Where(Filter.Ne("title", "none")).PageSize(5).GetPageAsync(1 + (i % 4), Wire.Ct), isRead: true),
            };
        }
    }

    private sealed class Run
    {
        private readonly ConcurrentDictionary<string, int> _byOperation = new();
        private readonly ConcurrentDictionary<string, int> _failuresByType = new();
        private readonly int[] _taken = new int[2];
        private int _calls;
        private long _longestTicks;

        public ConcurrentQueue<string> Foreign { get; } = new();
        public ConcurrentQueue<string> UnexplainedReadFailures { get; } = new();
        public ConcurrentQueue<string> ExceptionTexts { get; } = new();
        public ConcurrentDictionary<string, bool> TokenSet { get; } = new();
        public IEnumerable<string> Tokens => TokenSet.Keys;
        public int Calls => Volatile.Read(ref _calls);
        public TimeSpan Longest => TimeSpan.FromTicks(Interlocked.Read(ref _longestTicks));

        public int CountOf(string operation) => _byOperation.GetValueOrDefault(operation);

        /// <summary>Claims one call of the phase's budget; false when it is spent.</summary>
        public bool Take(int target, int phase = 0) => Interlocked.Increment(ref _taken[phase]) <= target;

        public void Remember(AuthSession? session)
        {
            if (session is not null)
            {
                TokenSet[session.Token] = true;
                TokenSet[session.RefreshToken] = true;
            }
        }

        public async Task<bool> CallAsync<T>(string operation, Func<Task<T>> call, bool isRead = false)
        {
            Interlocked.Increment(ref _calls);
            _byOperation.AddOrUpdate(operation, 1, (_, n) => n + 1);
            var watch = Stopwatch.StartNew();
            try
            {
                var result = await call();
                Remember(result as AuthSession ?? (result as RegisterResult)?.Session);
                _failuresByType.AddOrUpdate($"{operation} ok", 1, (_, n) => n + 1);
                return true;
            }
            catch (Exception ex)
            {
                _failuresByType.AddOrUpdate($"{operation} {ex.GetType().Name.Replace("Mudbase", "", StringComparison.Ordinal)}{(ex is MudbaseException { StatusCode: { } s } ? " " + (int)s : "")}", 1, (_, n) => n + 1);
                ExceptionTexts.Enqueue(ex.ToString());
                if (ex is not MudbaseException)
                {
                    Foreign.Enqueue($"{operation}: {ex}");
                }
                else if (isRead && !IsUnretryableByDesign((MudbaseException)ex))
                {
                    UnexplainedReadFailures.Enqueue($"{operation}: {ex.GetType().Name}: {ex.Message}");
                }

                return false;
            }
            finally
            {
                var ticks = watch.Elapsed.Ticks;
                for (var seen = Interlocked.Read(ref _longestTicks); ticks > seen; seen = Interlocked.Read(ref _longestTicks))
                {
                    Interlocked.CompareExchange(ref _longestTicks, ticks, seen);
                }
            }
        }

        /// <summary>A 429 whose wait is over the cap, or a 2xx whose body is empty or of the wrong shape: never retried, on purpose.</summary>
        private static bool IsUnretryableByDesign(MudbaseException ex) =>
            (ex is MudbaseRateLimitException && ex.RetryAfter > Retry.MaxRetryAfter) ||
            ex.StatusCode is { } status && (int)status is >= 200 and < 300;

        public string Summary(EmulatorStatistics stats, EmulatorChaosStatistics chaos, EmulatorChaosStatistics readChaos)
        {
            var text = new StringBuilder();
            text.AppendLine(CultureInfo.InvariantCulture, $"calls: {Calls} ({string.Join(", ", _byOperation.OrderBy(p => p.Key).Select(p => $"{p.Key} {p.Value}"))}), {Callers} callers, seed {Seed}");
            text.AppendLine(CultureInfo.InvariantCulture, $"requests seen by chaos: {chaos.Requests + readChaos.Requests}; faults injected: {chaos.FaultsByKind.Values.Sum() + readChaos.FaultsByKind.Values.Sum()}");
            foreach (var (kind, count) in chaos.FaultsByKind.OrderByDescending(p => p.Value))
            {
                text.AppendLine(CultureInfo.InvariantCulture, $"  {kind}: {count + readChaos.FaultsByKind.GetValueOrDefault(kind)}");
            }

            text.AppendLine("outcomes by operation:");
            foreach (var group in _failuresByType.GroupBy(p => p.Key.Split(' ')[0]).OrderBy(g => g.Key))
            {
                text.AppendLine(CultureInfo.InvariantCulture, $"  {group.Key}: {string.Join(", ", group.OrderByDescending(p => p.Value).Select(p => $"{p.Key[(group.Key.Length + 1)..]} {p.Value}"))}");
            }

            text.AppendLine(CultureInfo.InvariantCulture, $"server side: users created {stats.UsersCreated}, duplicate registrations {stats.DuplicateRegistrations}, logins {stats.Logins}, refresh requests {stats.RefreshRequests}, refresh-token reuses {stats.RefreshTokenReuses} (refresh answers lost {chaos.AnswersLostByPath.GetValueOrDefault("/api/auth/refresh")}), sessions revoked {stats.SessionsRevoked}");
            text.AppendLine(CultureInfo.InvariantCulture, $"foreign exceptions: {Foreign.Count}; reads failed on retryable faults: {UnexplainedReadFailures.Count}; longest call: {Longest.TotalMilliseconds:0} ms (budget {CallBudget.TotalMilliseconds:0} ms)");
            return text.ToString();
        }
    }
}
