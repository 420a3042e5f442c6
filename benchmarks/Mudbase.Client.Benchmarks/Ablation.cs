#if ABLATION
using System.Globalization;
using System.Net.Http.Headers;
using Mudbase.Auth;
using Mudbase.Http;
using Mudbase.Internal;
using Refit;

namespace Mudbase.Benchmarks;

/// <summary>
/// Where the SDK's time and bytes go over the canned handler: the SDK with one layer taken away at a time, built from
/// its internals, interleaved with the hand-written baseline (first row, ratio 1). Built only with -p:Ablation=true,
/// because it leans on internal constructors that may change:
/// <code>dotnet run -c Release -p:Ablation=true --project benchmarks/Mudbase.Client.Benchmarks -- ablation [--transport canned|loopback] [--rounds 31] [--block-ms 50] [--ops anonymous,session] [--rows 0,2,3]</code>
/// Over loopback every variant gets its own socket handler (the SDK's default) against an emulator in this process.
/// </summary>
internal static class Ablation
{
    public static async Task<int> RunAsync(string[] args)
    {
        var options = new Dictionary<string, string>();
        for (var i = 0; i + 1 < args.Length; i += 2)
        {
            options[args[i].TrimStart('-')] = args[i + 1];
        }

        var rounds = int.Parse(options.GetValueOrDefault("rounds") ?? "31", CultureInfo.InvariantCulture);
        var blockMs = double.Parse(options.GetValueOrDefault("block-ms") ?? "50", CultureInfo.InvariantCulture);
        var ops = (options.GetValueOrDefault("ops") ?? "anonymous,session").Split(',');
        var rows = options.GetValueOrDefault("rows")?.Split(',').Select(r => int.Parse(r, CultureInfo.InvariantCulture)).ToArray();

        Mudbase.Emulator.MudbaseEmulator? emulator = null;
        Contenders c;
        if ((options.GetValueOrDefault("transport") ?? "canned") == "canned")
        {
            c = Contenders.CreateCanned(() => new CannedHandler());
        }
        else
        {
            (emulator, c) = await LoopbackSetup.StartAsync();
        }

        var baseUrl = c.BaseUrl;
        Func<HttpMessageHandler> transport = emulator is null ? () => new CannedHandler() : MudbaseHttp.CreateDefaultHandler;

        var session = new AuthSession(c.Token, Payloads.RefreshToken, 86400, DateTimeOffset.UtcNow.AddDays(1), new MudbaseUser(Payloads.UserId, Payloads.Email));

        var noTimeout = Variant(baseUrl, transport, o => o.Timeout = Timeout.InfiniteTimeSpan, session);
        var noRetries = Variant(baseUrl, transport, o => o.Retry.MaxRetries = 0, session);
        var emptyPolly = Variant(baseUrl, transport, o => { o.Timeout = Timeout.InfiniteTimeSpan; o.Retry.MaxRetries = 0; }, session);
        var noTelemetry = Build(
            new MudbaseAuthenticationHandler
            {
                InnerHandler = new MudbaseRetryHandler(OptionsValidator.ValidateAndFreeze(new MudbaseClientOptions { BaseUrl = baseUrl }, "options"), TimeProvider.System) { InnerHandler = transport() },
            },
            baseUrl,
            session,
            out _);
        var authOnly = Build(new MudbaseAuthenticationHandler { InnerHandler = transport() }, baseUrl, session, out _);
        var noHandlers = Build(transport(), baseUrl, session, out var rawApi);

        Console.WriteLine($"ablation over {(emulator is null ? "the canned handler" : "loopback")}, {rounds} rounds, blocks of about {blockMs} ms, {Environment.ProcessorCount} cores");
        Console.WriteLine();
        Interleaved.PrintHeader();
        foreach (var op in ops)
        {
            (string, Func<Task>)[] contenders = op switch
            {
                "anonymous" =>
                [
                    ("hand-written", c.BaselineAnonymousAsync),
                    ("plain Refit", c.RefitAnonymousAsync),
                    ("SDK", c.SdkAnonymousAsync),
                    ("SDK, Timeout off", () => noTimeout.Auth.CreateAnonymousAsync()),
                    ("SDK, MaxRetries 0", () => noRetries.Auth.CreateAnonymousAsync()),
                    ("SDK, no telemetry handler", () => noTelemetry.CreateAnonymousAsync()),
                    ("SDK, empty Polly pipeline", () => emptyPolly.Auth.CreateAnonymousAsync()),
                    ("SDK, no retry or telemetry handler", () => authOnly.CreateAnonymousAsync()),
                    ("SDK, no handlers", () => noHandlers.CreateAnonymousAsync()),
                    ("SDK's Refit interface alone", () => rawApi.CreateAnonymousAsync(new AnonymousRequestBody { ProjectId = Payloads.ProjectId }, CancellationToken.None)),
                ],
                "session" =>
                [
                    ("hand-written", c.BaselineSessionAsync),
                    ("plain Refit", c.RefitSessionAsync),
                    ("SDK", c.SdkSessionAsync),
                    ("SDK, Timeout off", () => noTimeout.Auth.GetSessionAsync()),
                    ("SDK, MaxRetries 0", () => noRetries.Auth.GetSessionAsync()),
                    ("SDK, no telemetry handler", () => noTelemetry.GetSessionAsync()),
                    ("SDK, empty Polly pipeline", () => emptyPolly.Auth.GetSessionAsync()),
                    ("SDK, no retry or telemetry handler", () => authOnly.GetSessionAsync()),
                    ("SDK, no handlers (no token set)", () => noHandlers.GetSessionAsync()),
                    ("SDK's Refit interface alone", () => rawApi.GetSessionAsync(Payloads.ProjectId, CancellationToken.None)),
                ],
                _ => throw new ArgumentException($"Unknown call {op} (anonymous, session)."),
            };
            // Without the authentication handler nothing sets the token: the emulator would answer 401.
            var measured = emulator is not null && op == "session" ? contenders[..^2] : contenders;

            // --rows 0,2,3 measures only those rows (the first is the ratios' baseline): fewer contenders, more rounds each.
            if (rows is not null)
            {
                measured = rows.Where(r => r < measured.Length).Select(r => measured[r]).ToArray();
            }

            await Interleaved.MeasureAsync(op, measured, rounds, blockMs);
        }

        c.Dispose();
        if (emulator is not null)
        {
            await emulator.DisposeAsync();
        }

        return 0;
    }

    /// <summary>The real client (auth handler, retry handler) over the transport, with other options; signed in as the test user.</summary>
    private static IMudbaseClient Variant(Uri baseUrl, Func<HttpMessageHandler> transport, Action<MudbaseClientOptions> configure, AuthSession session)
    {
        var options = new MudbaseClientOptions { BaseUrl = baseUrl, ProjectId = Payloads.ProjectId };
        configure(options);
        var client = new MudbaseClient(OptionsValidator.ValidateAndFreeze(options, "options"), transport(), TimeProvider.System);
        return client.WithSession(session);
    }

    /// <summary>The facade and the SDK's Refit settings over a pipeline of our choosing (the real one: auth, retry, telemetry handlers).</summary>
    private static IMudbaseAuth Build(HttpMessageHandler pipeline, Uri baseUrl, AuthSession session, out IAuthApi api)
    {
        var options = OptionsValidator.ValidateAndFreeze(new MudbaseClientOptions { BaseUrl = baseUrl, ProjectId = Payloads.ProjectId }, "options");
        var http = new HttpClient(pipeline) { BaseAddress = baseUrl, Timeout = Timeout.InfiniteTimeSpan };
        http.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        http.DefaultRequestHeaders.TryAddWithoutValidation("User-Agent", Payloads.UserAgent);
        var sessions = new SessionManager(new InMemorySessionStore(), TimeProvider.System, options.RefreshSkew, Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance, session);
        api = RestService.ForGenerated<IAuthApi>(http, MudbaseHttp.CreateRefitSettings(new RefitErrorMapper(TimeProvider.System)));
        return new MudbaseAuth(api, options, TimeProvider.System, sessions);
    }
}
#endif
