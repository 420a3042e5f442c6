using System.Net;
using Mudbase.Auth;
using Mudbase.Tests.Support;

namespace Mudbase.Tests.Contract;

/// <summary>
/// The public ways of plugging a transport in: <c>new MudbaseClient(options, handler, disposeHandler)</c>, whose handler
/// sits directly under the SDK's own, and <c>new MudbaseClient(options, httpClient)</c>, which sends a copy of each
/// attempt through the caller's HttpClient.
/// </summary>
public sealed class TransportConstructorTests
{
    private static readonly Uri BaseUrl = new("https://cloud.mudbase.dev/");

    private static readonly string SessionBody = $$"""{"user":{{Bodies.RegisteredUser}},"authenticated":true}""";

    private static AuthSession SignedIn() =>
        new(Bodies.AccessToken, Bodies.RefreshToken, 86400, DateTimeOffset.UtcNow.AddDays(1), new MudbaseUser(Bodies.UserId, "ada@northwind.dev"));

    private static HttpResponseMessage RetryLater() => StubHandler.Answer(HttpStatusCode.ServiceUnavailable, "{}", ("Retry-After", "0"));

    [Fact]
    public async Task A_handler_receives_one_request_per_call_that_succeeds_at_once()
    {
        var handler = StubHandler.InOrder(() => StubHandler.Answer(HttpStatusCode.OK, Bodies.AnonymousSession()));
        using var client = new MudbaseClient(Wire.Options(BaseUrl), handler);

        var session = await client.Auth.CreateAnonymousAsync(cancellationToken: Wire.Ct);

        Assert.Equal(Bodies.AccessToken, session.Token);
        Assert.Equal(1, handler.Attempts);
        Assert.Equal($$"""{"projectId":"{{Wire.ProjectId}}"}""", handler.Seen[0].Body);
    }

    [Fact]
    public async Task A_retry_reaches_the_handler_again_with_the_same_body()
    {
        var handler = StubHandler.InOrder(RetryLater, () => StubHandler.Answer(HttpStatusCode.OK, Bodies.AnonymousSession()));
        using var client = new MudbaseClient(Wire.Options(BaseUrl), handler);

        await client.Auth.CreateAnonymousAsync(new CreateAnonymousRequest { DeviceId = "d-1" }, Wire.Ct);

        Assert.Equal(2, handler.Attempts);
        Assert.All(handler.Seen, seen => Assert.Equal($$"""{"projectId":"{{Wire.ProjectId}}","deviceId":"d-1"}""", seen.Body));
    }

    [Fact]
    public async Task The_handler_sees_the_SDKs_headers_and_the_sessions_token()
    {
        HttpRequestMessage? seen = null;
        var handler = new StubHandler((_, request, _) =>
        {
            seen = request;
            return Task.FromResult(StubHandler.Answer(HttpStatusCode.OK, SessionBody));
        });
        using var client = new MudbaseClient(Wire.Options(BaseUrl, o => o.ApiKey = "key-1"), handler);

        var info = await client.WithSession(SignedIn()).Auth.GetSessionAsync(cancellationToken: Wire.Ct);

        Assert.True(info.Authenticated);
        Assert.Equal(new Uri(BaseUrl, $"/api/auth/local/session?projectId={Wire.ProjectId}"), seen!.RequestUri);
        Assert.Equal("Bearer " + Bodies.AccessToken, seen.Headers.Authorization!.ToString());
        Assert.Equal("application/json", Assert.Single(seen.Headers.GetValues("Accept")));
        Assert.StartsWith("mudbase-dotnet/", Assert.Single(seen.Headers.GetValues("User-Agent")), StringComparison.Ordinal);
        Assert.Equal("key-1", Assert.Single(seen.Headers.GetValues("X-API-Key")));
    }

    [Fact]
    public async Task The_handler_is_left_usable_unless_the_client_is_told_to_dispose_it()
    {
        var kept = new DisposeTracking();
        var owned = new DisposeTracking();

        new MudbaseClient(Wire.Options(BaseUrl), kept).Dispose();
        new MudbaseClient(Wire.Options(BaseUrl), kept, disposeHandler: false).Dispose();
        new MudbaseClient(Wire.Options(BaseUrl), owned, disposeHandler: true).Dispose();

        Assert.False(kept.Disposed);
        Assert.True(owned.Disposed);

        // A handler the caller keeps still serves another client after the first one is gone.
        using var next = new MudbaseClient(Wire.Options(BaseUrl), kept);
        await next.Auth.CreateAnonymousAsync(cancellationToken: Wire.Ct);
        Assert.Equal(1, kept.Requests);
    }

    [Fact]
    public void Null_arguments_are_refused_by_name()
    {
        var handlerEx = Assert.Throws<ArgumentNullException>(() => new MudbaseClient(Wire.Options(BaseUrl), (HttpMessageHandler)null!));
        Assert.Equal("handler", handlerEx.ParamName);

        var optionsEx = Assert.Throws<ArgumentNullException>(() => new MudbaseClient(null!, new DisposeTracking()));
        Assert.Equal("options", optionsEx.ParamName);

        var httpClientEx = Assert.Throws<ArgumentNullException>(() => new MudbaseClient(Wire.Options(BaseUrl), (HttpClient)null!));
        Assert.Equal("httpClient", httpClientEx.ParamName);
    }

    [Fact]
    public void A_bad_option_fails_the_handler_constructor_by_name()
    {
        var ex = Assert.Throws<ArgumentException>(() => new MudbaseClient(Wire.Options(BaseUrl, o => o.Retry.MaxRetries = -1), new DisposeTracking(), disposeHandler: true));
        Assert.Contains("MaxRetries", ex.Message, StringComparison.Ordinal);
    }

    // ---- through the caller's HttpClient ----

    [Fact]
    public async Task Through_an_HttpClient_a_retry_is_sent_again_whole_and_the_HttpClients_own_headers_are_added()
    {
        var handler = StubHandler.InOrder(RetryLater, () => StubHandler.Answer(HttpStatusCode.OK, Bodies.AnonymousSession()));
        var headers = new List<(string? Accept, string? Tenant)>();
        var recorder = new HeaderRecorder(handler, headers);
        using var http = new HttpClient(recorder);
        http.DefaultRequestHeaders.TryAddWithoutValidation("X-Tenant", "t-1");

        using (var client = new MudbaseClient(Wire.Options(BaseUrl), http))
        {
            await client.Auth.CreateAnonymousAsync(new CreateAnonymousRequest { DeviceId = "d-1" }, Wire.Ct);
        }

        Assert.Equal(2, handler.Attempts);
        Assert.All(handler.Seen, seen => Assert.Equal($$"""{"projectId":"{{Wire.ProjectId}}","deviceId":"d-1"}""", seen.Body));
        Assert.All(headers, h => Assert.Equal(("application/json", "t-1"), h));
    }

    [Fact]
    public async Task Through_an_HttpClient_a_401_refreshes_and_sends_the_call_again_with_the_new_token()
    {
        var refreshed = Bodies.AccessToken + "-2";
        var authorizations = new List<string?>();
        var handler = new StubHandler((_, request, _) =>
        {
            if (request.RequestUri!.AbsolutePath == "/api/auth/refresh")
            {
                return Task.FromResult(StubHandler.Answer(HttpStatusCode.OK,
                    $$"""{"token":"{{refreshed}}","refreshToken":"rt-2","expiresIn":86400,"user":{{Bodies.RegisteredUser}}}"""));
            }

            authorizations.Add(request.Headers.Authorization?.ToString());
            return Task.FromResult(authorizations.Count == 1
                ? StubHandler.Answer(HttpStatusCode.Unauthorized, """{"error":"Token expired"}""")
                : StubHandler.Answer(HttpStatusCode.OK, SessionBody));
        });
        using var http = new HttpClient(handler);
        using var client = new MudbaseClient(Wire.Options(BaseUrl), http);

        var info = await client.WithSession(SignedIn()).Auth.GetSessionAsync(cancellationToken: Wire.Ct);

        Assert.True(info.Authenticated);
        Assert.Equal(["Bearer " + Bodies.AccessToken, "Bearer " + refreshed], authorizations);
    }

    /// <summary>Answers every request with an anonymous session, and records whether it was disposed.</summary>
    private sealed class DisposeTracking : HttpMessageHandler
    {
        private int _requests;

        public bool Disposed { get; private set; }

        public int Requests => Volatile.Read(ref _requests);

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            ObjectDisposedException.ThrowIf(Disposed, this);
            Interlocked.Increment(ref _requests);
            return Task.FromResult(StubHandler.Answer(HttpStatusCode.OK, Bodies.AnonymousSession()));
        }

        protected override void Dispose(bool disposing)
        {
            Disposed = true;
            base.Dispose(disposing);
        }
    }

    /// <summary>Records the Accept and X-Tenant headers of each request on its way to the handler under it.</summary>
    private sealed class HeaderRecorder(HttpMessageHandler inner, List<(string? Accept, string? Tenant)> seen) : DelegatingHandler(inner)
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            seen.Add((Value(request, "Accept"), Value(request, "X-Tenant")));
            return base.SendAsync(request, cancellationToken);
        }

        private static string? Value(HttpRequestMessage request, string name) =>
            request.Headers.TryGetValues(name, out var values) ? string.Join(",", values) : null;
    }
}
