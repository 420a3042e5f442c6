using System.Net;
using System.Text;
using System.Text.Json;
using Mudbase.Auth;
using Mudbase.Emulator;

namespace Mudbase.Tests.Integration;

/// <summary>The first slice end to end: the public client against the emulator over loopback.</summary>
public sealed class AuthFlowTests(EmulatorFixture fixture) : IClassFixture<EmulatorFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task An_anonymous_session_carries_a_real_token_for_a_guest_user()
    {
        using var client = fixture.CreateClient();
        var before = DateTimeOffset.UtcNow;

        var session = await client.Auth.CreateAnonymousAsync(new CreateAnonymousRequest { DeviceId = "device-1" }, Ct);

        Assert.True(session.User.IsAnonymous);
        Assert.Equal("Anonymous", session.User.FirstName);
        Assert.Matches("^[0-9a-f]{24}$", session.User.Id);
        Assert.EndsWith("@anonymous.local", session.User.Email, StringComparison.Ordinal);
        Assert.False(string.IsNullOrEmpty(session.RefreshToken));
        Assert.InRange(session.ExpiresAt, before.AddSeconds(session.ExpiresIn - 5), DateTimeOffset.UtcNow.AddSeconds(session.ExpiresIn + 5));

        var claims = DecodeJwtPayload(session.Token);
        Assert.Equal(session.User.Id, claims.GetProperty("id").GetString());
        Assert.Equal(session.ExpiresIn, claims.GetProperty("exp").GetInt64() - claims.GetProperty("iat").GetInt64());
    }

    [Fact]
    public async Task Registering_where_verification_is_required_returns_no_tokens()
    {
        using var client = fixture.CreateClient();
        var email = EmulatorFixture.NewEmail("ada");
        var usersBefore = fixture.Emulator.CountUsers(fixture.Emulator.DefaultProjectId);

        var result = await client.Auth.RegisterAsync(new RegisterRequest { Email = email, Password = "Str0ng_Pass!", FirstName = "Ada", LastName = "Lovelace" }, Ct);

        Assert.True(result.RequireVerification);
        Assert.Null(result.Session);
        Assert.Null(result.Token);
        Assert.False(string.IsNullOrWhiteSpace(result.Message));
        Assert.Equal(usersBefore + 1, fixture.Emulator.CountUsers(fixture.Emulator.DefaultProjectId));
    }

    [Fact]
    public async Task Registering_where_verification_is_off_signs_the_user_in()
    {
        using var client = fixture.CreateClient(fixture.Emulator.NoVerificationProjectId);
        var email = EmulatorFixture.NewEmail("grace");

        var result = await client.Auth.RegisterAsync(new RegisterRequest { Email = email, Password = "Str0ng_Pass!", FirstName = "Grace", LastName = "Hopper" }, Ct);

        Assert.False(result.RequireVerification);
        var session = Assert.IsType<AuthSession>(result.Session);
        Assert.Equal(email, session.User.Email);
        Assert.Equal(session.Token, result.Token);
        Assert.Equal(session.User.Id, DecodeJwtPayload(session.Token).GetProperty("id").GetString());
        Assert.Equal(email, DecodeJwtPayload(session.Token).GetProperty("email").GetString());
    }

    [Fact]
    public async Task A_duplicate_registration_is_a_conflict_and_creates_no_second_user()
    {
        using var client = fixture.CreateClient();
        var request = new RegisterRequest { Email = EmulatorFixture.NewEmail("dup"), Password = "Str0ng_Pass!", FirstName = "D", LastName = "Up" };
        await client.Auth.RegisterAsync(request, Ct);
        var usersAfterFirst = fixture.Emulator.CountUsers(fixture.Emulator.DefaultProjectId);

        var ex = await Assert.ThrowsAsync<MudbaseConflictException>(() => client.Auth.RegisterAsync(request, Ct));

        Assert.Equal(HttpStatusCode.Conflict, ex.StatusCode);
        Assert.False(string.IsNullOrEmpty(ex.RequestId));
        Assert.Equal(usersAfterFirst, fixture.Emulator.CountUsers(fixture.Emulator.DefaultProjectId));
    }

    [Fact]
    public async Task Server_validation_errors_arrive_with_their_details()
    {
        using var client = fixture.CreateClient();

        var ex = await Assert.ThrowsAsync<MudbaseValidationException>(() => client.Auth.RegisterAsync(
            new RegisterRequest { Email = "someone@invalid.test", Password = "short", FirstName = "A", LastName = "B" }, Ct));

        Assert.Equal(HttpStatusCode.BadRequest, ex.StatusCode);
        Assert.Equal(JsonValueKind.Array, ex.Details?.ValueKind);
        Assert.Contains("email", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("short", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_project_is_not_found()
    {
        using var client = fixture.CreateClient("0123456789abcdef01234567");

        var ex = await Assert.ThrowsAsync<MudbaseNotFoundException>(() => client.Auth.CreateAnonymousAsync(cancellationToken: Ct));

        Assert.Equal(HttpStatusCode.NotFound, ex.StatusCode);
        Assert.Contains("Project not found", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Two_hundred_concurrent_anonymous_sessions_all_succeed_with_distinct_users()
    {
        using var client = fixture.CreateClient();

        var sessions = await Task.WhenAll(Enumerable.Range(0, 200).Select(_ => client.Auth.CreateAnonymousAsync(cancellationToken: Ct)));

        Assert.Equal(200, sessions.Select(s => s.User.Id).Distinct().Count());
        Assert.Equal(200, sessions.Select(s => s.RefreshToken).Distinct().Count());
    }

    [Fact]
    public async Task The_limiter_answers_429_with_a_retry_after_too_long_to_wait_inside_a_call()
    {
        await using var limited = await MudbaseEmulator.StartAsync(new MudbaseEmulatorOptions { EnableRateLimits = true }, Ct);
        using var client = new MudbaseClient(new MudbaseClientOptions { BaseUrl = limited.BaseUrl, ProjectId = limited.DefaultProjectId });

        // Login and anonymous share a bucket of 5 per 15 minutes on the hosted service.
        for (var i = 0; i < 5; i++)
        {
            await client.Auth.CreateAnonymousAsync(cancellationToken: Ct);
        }

        var started = DateTimeOffset.UtcNow;
        var ex = await Assert.ThrowsAsync<MudbaseRateLimitException>(() => client.Auth.CreateAnonymousAsync(cancellationToken: Ct));

        Assert.Equal(HttpStatusCode.TooManyRequests, ex.StatusCode);
        Assert.InRange(ex.RetryAfter!.Value, TimeSpan.FromMinutes(10), TimeSpan.FromMinutes(15));
        Assert.Equal(5, ex.RateLimit?.Limit);
        Assert.Equal(0, ex.RateLimit?.Remaining);
        Assert.True(DateTimeOffset.UtcNow - started < TimeSpan.FromSeconds(5), "a long Retry-After must not be waited out");
    }

    internal static JsonElement DecodeJwtPayload(string jwt)
    {
        var parts = jwt.Split('.');
        Assert.Equal(3, parts.Length);
        var payload = parts[1].Replace('-', '+').Replace('_', '/');
        payload = payload.PadRight(payload.Length + ((4 - (payload.Length % 4)) % 4), '=');
        using var document = JsonDocument.Parse(Encoding.UTF8.GetString(Convert.FromBase64String(payload)));
        return document.RootElement.Clone();
    }
}
