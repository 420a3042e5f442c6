using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.Logging;
using Mudbase.Auth;
using Mudbase.Diagnostics;
using Mudbase.Tests.Support;
using WireMock.Server;

namespace Mudbase.Tests.Diagnostics;

/// <summary>What the SDK tells an app's logs, traces and metrics, and that none of it carries a secret.</summary>
[Collection(nameof(ObservabilityTests))] // listeners are process-wide: keep these tests to themselves
public sealed class ObservabilityTests : IDisposable
{
    private const string Password = "Pa55word-never-logged";
    private const string ApiKey = "ak_never_logged_123";

    private readonly WireMockServer _server = Wire.StartServer();
    private readonly CapturingLoggerProvider _logs = new();

    public void Dispose() => _server.Dispose();

    /// <summary>Records every activity of the SDK (and of <paramref name="alsoSource"/>) as it starts or stops.</summary>
    private static ActivityListener ListenToActivities(Action<Activity>? started = null, Action<Activity>? stopped = null, string? alsoSource = null)
    {
        var listener = new ActivityListener
        {
            ShouldListenTo = s => s.Name == MudbaseDiagnostics.Name || s.Name == alsoSource,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStarted = started,
            ActivityStopped = stopped,
        };
        ActivitySource.AddActivityListener(listener);
        return listener;
    }

    private MudbaseClient Client(ILoggerFactory factory) => _server.Client(o =>
    {
        o.LoggerFactory = factory;
        o.ApiKey = ApiKey;
    });

    [Fact]
    public async Task Each_attempt_is_logged_at_debug_retries_at_information_and_the_failure_at_warning()
    {
        using var factory = _logs.CreateFactory();
        _server.AnswerInOrder(Wire.RegisterPath,
            () => Wire.Message(503, """{"error":"busy"}""", ("Retry-After", "0"), ("x-request-id", "r-1")),
            () => Wire.Message(409, """{"error":"User already exists","code":"CONFLICT"}""", ("x-request-id", "r-2")));
        using var client = Client(factory);

        await Assert.ThrowsAsync<MudbaseConflictException>(() => client.Auth.RegisterAsync(Wire.NewRegisterRequest(), Wire.Ct));

        var lines = _logs.Lines.ToList();
        Assert.Equal([1, 2, 10, 1, 2, 30], lines.Select(l => l.EventId.Id));
        Assert.Equal([LogLevel.Debug, LogLevel.Debug, LogLevel.Information, LogLevel.Debug, LogLevel.Debug, LogLevel.Warning], lines.Select(l => l.Level));
        Assert.Equal("POST /api/auth/local/register answered 503 in", lines[1].Message[..45]);
        Assert.Contains("(attempt 1, request id r-1)", lines[1].Message, StringComparison.Ordinal);
        Assert.Contains("Retrying POST /api/auth/local/register in 0 ms after 503 (attempt 2 of 3)", lines[2].Message, StringComparison.Ordinal);
        Assert.Contains("(attempt 2, request id r-2)", lines[4].Message, StringComparison.Ordinal);
        Assert.Equal("POST /api/auth/local/register failed with 409 after 2 attempt(s) (request id r-2)", lines[5].Message);
        AssertNoSecret(lines.Select(l => l.Message));
    }

    [Fact]
    public async Task A_request_sent_again_after_a_401_counts_its_attempts_from_1()
    {
        using var factory = _logs.CreateFactory();
        _server.Answer(Wire.AnonymousPath, Wire.Json(200, Bodies.AnonymousSession()));
        _server.Answer("/api/auth/refresh", Wire.Json(200, """{"token":"access-2","refreshToken":"refresh-2","expiresIn":3600}"""));
        _server.AnswerInOrder("/api/auth/local/session",
            () => Wire.Message(503, """{"error":"busy"}""", ("Retry-After", "0"), ("x-request-id", "s-1")),
            () => Wire.Message(401, """{"error":"Invalid or expired token"}""", ("x-request-id", "s-2")),
            () => Wire.Message(200, """{"authenticated":true}""", ("x-request-id", "s-3")));
        using var client = Client(factory);
        await client.Auth.CreateAnonymousAsync(cancellationToken: Wire.Ct);

        await client.Auth.GetSessionAsync(cancellationToken: Wire.Ct);

        var answered = _logs.Lines.Where(l => l.EventId.Id == 2 && l.Message.StartsWith("GET /api/auth/local/session", StringComparison.Ordinal))
            .Select(l => l.Message[l.Message.LastIndexOf('(')..]).ToList();
        Assert.Equal(["(attempt 1, request id s-1)", "(attempt 2, request id s-2)", "(attempt 1, request id s-3)"], answered);
    }

    [Fact]
    public async Task Refreshes_are_logged_at_information_and_no_token_is_ever_logged()
    {
        using var factory = _logs.CreateFactory();
        _server.Answer(Wire.AnonymousPath, Wire.Json(200, Bodies.AnonymousSession(expiresIn: 0)));
        _server.Answer("/api/auth/refresh", Wire.Json(200, """{"token":"access-refreshed-secret","refreshToken":"refresh-refreshed-secret","expiresIn":3600}"""));
        _server.Answer("/api/auth/local/session", Wire.Json(200, """{"authenticated":true}"""));
        using var client = Client(factory);
        await client.Auth.CreateAnonymousAsync(cancellationToken: Wire.Ct);

        await client.Auth.GetSessionAsync(cancellationToken: Wire.Ct);

        var lines = _logs.Lines.ToList();
        Assert.Contains(lines, l => l.EventId.Id == 20 && l.Level == LogLevel.Information && l.Message == $"Refreshing the session of user {Bodies.UserId}");
        Assert.Contains(lines, l => l.EventId.Id == 21 && l.Level == LogLevel.Information);
        AssertNoSecret(lines.Select(l => l.Message), Bodies.AccessToken, Bodies.RefreshToken, "access-refreshed-secret", "refresh-refreshed-secret");
    }

    [Fact]
    public async Task Each_operation_is_an_activity_with_its_error_recorded()
    {
        var activities = new ConcurrentQueue<Activity>();
        using var listener = ListenToActivities(stopped: activities.Enqueue);
        _server.Answer(Wire.AnonymousPath, Wire.Json(200, Bodies.AnonymousSession()));
        _server.Answer(Wire.RegisterPath, Wire.Json(409, """{"error":"User already exists","code":"CONFLICT"}"""));
        using var client = _server.Client();

        await client.Auth.CreateAnonymousAsync(cancellationToken: Wire.Ct);
        await Assert.ThrowsAsync<MudbaseConflictException>(() => client.Auth.RegisterAsync(Wire.NewRegisterRequest(), Wire.Ct));

        var anonymous = Assert.Single(activities, a => a.OperationName == "mudbase.auth.create_anonymous");
        Assert.Equal(ActivityStatusCode.Unset, anonymous.Status);
        var register = Assert.Single(activities, a => a.OperationName == "mudbase.auth.register");
        Assert.Equal(ActivityStatusCode.Error, register.Status);
        Assert.Equal(409, register.GetTagItem("http.response.status_code"));
        Assert.Equal("CONFLICT", register.GetTagItem("mudbase.error.code"));
    }

    [Fact]
    public async Task An_operation_is_a_child_of_the_callers_activity_spans_the_whole_call_and_leaves_the_caller_as_it_was()
    {
        var activities = new ConcurrentQueue<Activity>();
        using var listener = ListenToActivities(stopped: activities.Enqueue, alsoSource: "Test.Caller");
        using var source = new ActivitySource("Test.Caller");
        // Answered late, so that the call is still running when the caller looks at its own context.
        _server.Answer(Wire.AnonymousPath, Wire.Json(200, Bodies.AnonymousSession()).WithDelay(TimeSpan.FromMilliseconds(200)));
        using var client = _server.Client();

        using var caller = source.StartActivity("caller")!;
        var call = client.Auth.CreateAnonymousAsync(cancellationToken: Wire.Ct);
        Assert.Same(caller, Activity.Current);
        Assert.False(call.IsCompleted);
        Assert.DoesNotContain(activities, a => a.OperationName == "mudbase.auth.create_anonymous");
        await call;

        var operation = Assert.Single(activities, a => a.OperationName == "mudbase.auth.create_anonymous");
        Assert.Equal(caller.SpanId, operation.ParentSpanId);
        Assert.True(operation.Duration >= TimeSpan.FromMilliseconds(150), $"the activity ended after {operation.Duration}, before the answer came");
        Assert.Same(caller, Activity.Current);
    }

    [Fact]
    public void Wrong_arguments_throw_at_once_and_start_no_operation()
    {
        var activities = new ConcurrentQueue<Activity>();
        using var listener = ListenToActivities(started: activities.Enqueue);
        using var client = _server.Client();

        var ex = Assert.Throws<ArgumentException>(() => { _ = client.Auth.LoginAsync(new LoginRequest { Email = " ", Password = "x" }, Wire.Ct); });

        Assert.Equal("request.Email", ex.ParamName);
        Assert.Empty(activities);
        Assert.Empty(_server.LogEntries);
    }

    [Fact]
    public async Task Durations_retries_and_rate_limit_hits_are_measured()
    {
        var measured = new ConcurrentQueue<(string Instrument, double Value)>();
        using var meters = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Name == MudbaseDiagnostics.Name)
                {
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        meters.SetMeasurementEventCallback<double>((i, v, _, _) => measured.Enqueue((i.Name, v)));
        meters.SetMeasurementEventCallback<long>((i, v, _, _) => measured.Enqueue((i.Name, v)));
        meters.Start();
        _server.AnswerInOrder(Wire.AnonymousPath,
            () => Wire.Message(429, """{"error":"Too many requests"}""", ("Retry-After", "0")),
            () => Wire.Message(200, Bodies.AnonymousSession()));
        using var client = _server.Client();

        await client.Auth.CreateAnonymousAsync(cancellationToken: Wire.Ct);

        var seen = measured.ToList();
        Assert.Equal(2, seen.Count(m => m.Instrument == "mudbase.client.request.duration"));
        Assert.Equal(1, seen.Count(m => m.Instrument == "mudbase.client.retries"));
        Assert.Equal(1, seen.Count(m => m.Instrument == "mudbase.client.rate_limited"));
    }

    [Fact]
    public void Request_durations_advise_bucket_boundaries_in_seconds()
    {
        _ = MudbaseDiagnostics.RequestDuration; // the instruments exist once the SDK's diagnostics are initialised
        Histogram<double>? duration = null;
        using var meters = new MeterListener
        {
            InstrumentPublished = (instrument, _) =>
            {
                if (instrument is { Name: "mudbase.client.request.duration" } && instrument.Meter.Name == MudbaseDiagnostics.Name)
                {
                    duration = instrument as Histogram<double>;
                }
            },
        };
        meters.Start();

        Assert.NotNull(duration);
        Assert.Equal("s", duration.Unit);
        Assert.Equal([0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10], duration.Advice?.HistogramBucketBoundaries);
    }

    private static void AssertNoSecret(IEnumerable<string> lines, params string[] more)
    {
        var secrets = new[] { Password, ApiKey, Wire.NewRegisterRequest().Password }.Concat(more);
        foreach (var line in lines)
        {
            foreach (var secret in secrets)
            {
                Assert.DoesNotContain(secret, line, StringComparison.Ordinal);
            }
        }
    }
}

/// <summary>Activity and meter listeners hear every client in the process: this collection runs alone.</summary>
[CollectionDefinition(nameof(ObservabilityTests), DisableParallelization = true)]
public sealed class ObservabilityTestsRunAlone;
