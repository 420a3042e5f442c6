using System.Net;
using Microsoft.Extensions.Time.Testing;
using Mudbase.Auth;
using Mudbase.Emulator;
using Mudbase.Http;
using Mudbase.Tests.Support;

namespace Mudbase.Tests.Integration;

/// <summary>Every sign-in flow end to end against the emulator, finishing through its outbox where a person would read an email.</summary>
public sealed class SessionFlowTests(EmulatorFixture fixture) : IClassFixture<EmulatorFixture>
{
    private const string Password = "Str0ng_Pass!w0rd";
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private MudbaseEmulator Emulator => fixture.Emulator;

    private EmulatorOutboxMessage LastMail(string to, string kind) =>
        Emulator.GetOutbox(to).Last(m => m.Kind == kind);

    private static async Task<string> RegisterUnverifiedAsync(MudbaseClient client)
    {
        var email = EmulatorFixture.NewEmail("ada");
        await client.Auth.RegisterAsync(new RegisterRequest { Email = email, Password = Password, FirstName = "Ada", LastName = "Lovelace" }, Ct);
        return email;
    }

    [Fact]
    public async Task Login_is_refused_until_the_email_is_verified_then_signs_in()
    {
        using var client = fixture.CreateClient();
        var email = await RegisterUnverifiedAsync(client);

        var refused = await Assert.ThrowsAsync<MudbaseForbiddenException>(() => client.Auth.LoginAsync(new LoginRequest { Email = email, Password = Password }, Ct));
        Assert.True(refused.IsEmailVerificationRequired);
        Assert.Null(client.Auth.CurrentSession);

        await client.Auth.VerifyEmailAsync(LastMail(email, EmulatorOutboxKinds.VerifyEmail).Token!, cancellationToken: Ct);
        var session = await client.Auth.LoginAsync(new LoginRequest { Email = email, Password = Password }, Ct);
        var info = await client.Auth.GetSessionAsync(cancellationToken: Ct);

        Assert.Same(session, client.Auth.CurrentSession);
        Assert.True(info.Authenticated);
        Assert.Equal(session.User.Id, info.User?.Id);
        Assert.Equal(email, info.User?.Email);
    }

    [Fact]
    public async Task Wrong_credentials_are_an_authentication_error()
    {
        using var client = fixture.CreateClient();
        var email = await RegisterUnverifiedAsync(client);

        var ex = await Assert.ThrowsAsync<MudbaseAuthenticationException>(() => client.Auth.LoginAsync(new LoginRequest { Email = email, Password = "not-the-password" }, Ct));

        Assert.Equal(HttpStatusCode.Unauthorized, ex.StatusCode);
        Assert.DoesNotContain("not-the-password", ex.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Logout_revokes_the_session_on_the_server_too()
    {
        using var client = fixture.CreateClient(Emulator.NoVerificationProjectId);
        var registered = await client.Auth.RegisterAsync(new RegisterRequest { Email = EmulatorFixture.NewEmail(), Password = Password, FirstName = "G", LastName = "H" }, Ct);
        var session = registered.Session!;
        Assert.Same(session, client.Auth.CurrentSession);

        await client.Auth.LogoutAsync(Ct);

        Assert.Null(client.Auth.CurrentSession);
        // The old tokens, replayed by someone who kept them, are refused: the access token, then its refresh token.
        var replay = client.WithSession(session);
        await Assert.ThrowsAsync<MudbaseAuthenticationException>(() => replay.Auth.GetSessionAsync(cancellationToken: Ct));
        Assert.Null(replay.Auth.CurrentSession);
    }

    [Fact]
    public async Task Converting_a_guest_keeps_the_user_id()
    {
        using var client = fixture.CreateClient();
        var guest = await client.Auth.CreateAnonymousAsync(cancellationToken: Ct);
        var email = EmulatorFixture.NewEmail("convert");

        var account = await client.Auth.ConvertAnonymousAsync(new ConvertAnonymousRequest { Email = email, Password = Password, FirstName = "Con", LastName = "Vert" }, Ct);

        Assert.Equal(guest.User.Id, account.User.Id);
        Assert.False(account.User.IsAnonymous);
        Assert.Equal(email, account.User.Email);
        Assert.NotEqual(guest.Token, account.Token);
        Assert.Equal(account.User.Id, (await client.Auth.GetSessionAsync(cancellationToken: Ct)).User?.Id);
    }

    [Fact]
    public async Task Role_signup_returns_the_role_and_follows_the_verification_rule()
    {
        using var client = fixture.CreateClient(Emulator.NoVerificationProjectId);

        var result = await client.Auth.RegisterWithRoleAsync("customer",
            new RegisterWithRoleRequest { Email = EmulatorFixture.NewEmail("role"), Password = Password, FirstName = "R", LastName = "S", AgreedToTerms = true }, Ct);

        Assert.False(result.RequireVerification);
        Assert.Equal("customer", result.Role?.Slug);
        Assert.Same(result.Session, client.Auth.CurrentSession);
        await Assert.ThrowsAsync<MudbaseNotFoundException>(() => client.Auth.RegisterWithRoleAsync("no-such-role",
            new RegisterWithRoleRequest { Email = EmulatorFixture.NewEmail("role"), Password = Password, FirstName = "R", LastName = "S", AgreedToTerms = true }, Ct));
    }

    [Fact]
    public async Task A_password_reset_with_the_emailed_code_lets_the_user_sign_in_with_the_new_password()
    {
        using var client = fixture.CreateClient(Emulator.NoVerificationProjectId);
        var email = EmulatorFixture.NewEmail("reset");
        await client.Auth.RegisterAsync(new RegisterRequest { Email = email, Password = Password, FirstName = "R", LastName = "P" }, Ct);

        await client.Auth.RequestPasswordResetAsync(email, cancellationToken: Ct);
        var code = LastMail(email, EmulatorOutboxKinds.PasswordReset).Code!;
        await Assert.ThrowsAsync<MudbaseValidationException>(() => client.Auth.ConfirmPasswordResetAsync(
            new ConfirmPasswordResetRequest { Email = email, Otp = code == "000000" ? "111111" : "000000", NewPassword = "N3w-password!" }, Ct));
        await client.Auth.ConfirmPasswordResetAsync(new ConfirmPasswordResetRequest { Email = email, Otp = code, NewPassword = "N3w-password!" }, Ct);

        await Assert.ThrowsAsync<MudbaseAuthenticationException>(() => client.Auth.LoginAsync(new LoginRequest { Email = email, Password = Password }, Ct));
        var session = await client.Auth.LoginAsync(new LoginRequest { Email = email, Password = "N3w-password!" }, Ct);
        Assert.Equal(email, session.User.Email);
    }

    [Fact]
    public async Task A_legacy_reset_link_token_sets_a_new_password()
    {
        using var client = fixture.CreateClient(Emulator.NoVerificationProjectId);
        var email = EmulatorFixture.NewEmail("legacy");
        await client.Auth.RegisterAsync(new RegisterRequest { Email = email, Password = Password, FirstName = "L", LastName = "R" }, Ct);
        await client.Auth.RequestPasswordResetAsync(email, cancellationToken: Ct);

        await client.Auth.ResetPasswordAsync(LastMail(email, EmulatorOutboxKinds.PasswordReset).Token!, "An0ther-password!", cancellationToken: Ct);

        var session = await client.Auth.LoginAsync(new LoginRequest { Email = email, Password = "An0ther-password!" }, Ct);
        Assert.Equal(email, session.User.Email);
    }

    [Fact]
    public async Task Resending_verification_mails_a_new_token_that_works()
    {
        using var client = fixture.CreateClient();
        var email = await RegisterUnverifiedAsync(client);

        await client.Auth.ResendVerificationAsync(email, cancellationToken: Ct);

        var mails = Emulator.GetOutbox(email).Where(m => m.Kind == EmulatorOutboxKinds.VerifyEmail).ToList();
        Assert.Equal(2, mails.Count);
        await client.Auth.VerifyEmailAsync(mails[^1].Token!, cancellationToken: Ct);
        Assert.NotNull(await client.Auth.LoginAsync(new LoginRequest { Email = email, Password = Password }, Ct));
    }

    [Fact]
    public async Task A_magic_link_signs_the_user_in()
    {
        using var client = fixture.CreateClient();
        var email = EmulatorFixture.NewEmail("magic");

        await client.Auth.SendMagicLinkAsync(email, new Uri("myapp://auth/magic"), cancellationToken: Ct);
        var mail = LastMail(email, EmulatorOutboxKinds.MagicLink);
        var session = await client.Auth.VerifyMagicLinkAsync(mail.Token!, Ct);

        Assert.StartsWith("myapp://auth/magic", mail.Link!.OriginalString, StringComparison.Ordinal);
        Assert.Equal(email, session.User.Email);
        Assert.Same(session, client.Auth.CurrentSession);
        await Assert.ThrowsAsync<MudbaseValidationException>(() => client.Auth.VerifyMagicLinkAsync(mail.Token!, Ct)); // single use
    }

    [Fact]
    public async Task A_one_time_code_signs_the_user_in()
    {
        using var client = fixture.CreateClient();
        var email = EmulatorFixture.NewEmail("otp");

        await client.Auth.SendOtpAsync(OtpChannel.Email, email, cancellationToken: Ct);
        var session = await client.Auth.VerifyOtpAsync(email, LastMail(email, EmulatorOutboxKinds.Otp).Code!, cancellationToken: Ct);

        Assert.Equal(email, session.User.Email);
        Assert.True((await client.Auth.GetSessionAsync(cancellationToken: Ct)).Authenticated);
    }

    [Fact]
    public async Task OAuth_through_the_emulators_consent_page_ends_in_a_working_session()
    {
        using var client = fixture.CreateClient();
        var providers = await client.Auth.GetOAuthProvidersAsync(Ct);
        Assert.Contains(providers, p => p.Name == "google" && p.DisplayName == "Google");

        // What a browser does: follow the redirect to the consent page, approve, land on the app's callback.
        var callback = new Uri("myapp://auth/callback");
        using var browser = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false });
        using var toConsent = await browser.GetAsync(client.Auth.GetOAuthUrl("google", callback), Ct);
        Assert.Equal(HttpStatusCode.Found, toConsent.StatusCode);
        var approve = new Uri(toConsent.Headers.Location!.AbsoluteUri + "&approve=true");
        using var toApp = await browser.GetAsync(approve, Ct);
        Assert.Equal(HttpStatusCode.Found, toApp.StatusCode);

        var session = client.Auth.ParseOAuthCallback(toApp.Headers.Location!);

        Assert.StartsWith("myapp://auth/callback", toApp.Headers.Location!.OriginalString, StringComparison.Ordinal);
        var info = await client.Auth.GetSessionAsync(cancellationToken: Ct);
        Assert.Equal(session.User.Id, info.User?.Id);
        Assert.Equal(info.User?.Email, session.User.Email);
    }

    [Fact]
    public async Task A_second_client_over_the_same_file_store_resumes_against_the_server()
    {
        var path = Path.Combine(Directory.CreateTempSubdirectory("mudbase-").FullName, "session.json");
        AuthSession first;
        using (var client = new MudbaseClient(new MudbaseClientOptions { BaseUrl = Emulator.BaseUrl, ProjectId = Emulator.DefaultProjectId, SessionStore = new FileSessionStore(path) }))
        {
            first = await client.Auth.CreateAnonymousAsync(cancellationToken: Ct);
        }

        using var restarted = new MudbaseClient(new MudbaseClientOptions { BaseUrl = Emulator.BaseUrl, ProjectId = Emulator.DefaultProjectId, SessionStore = new FileSessionStore(path) });
        var info = await restarted.Auth.GetSessionAsync(cancellationToken: Ct);

        Assert.Equal(first.User.Id, info.User?.Id);
        Directory.Delete(Path.GetDirectoryName(path)!, recursive: true);
    }
}

/// <summary>Expiry and refresh against the emulator, with one fake clock for both sides: no sleeping.</summary>
public sealed class SessionExpiryTests : IAsyncLifetime
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private readonly FakeTimeProvider _clock = new(DateTimeOffset.UtcNow);
    private MudbaseEmulator _emulator = null!;

    public async ValueTask InitializeAsync() => _emulator = await MudbaseEmulator.StartAsync(
        new MudbaseEmulatorOptions { EnableRateLimits = false, AccessTokenLifetime = TimeSpan.FromSeconds(120), TimeProvider = _clock }, Ct);

    public ValueTask DisposeAsync() => _emulator.DisposeAsync();

    private MudbaseClient NewClient() =>
        Wire.Client(_emulator.BaseUrl, MudbaseHttp.CreateDefaultHandler(), _clock, o => o.ProjectId = _emulator.DefaultProjectId);

    [Fact]
    public async Task A_hundred_concurrent_calls_after_expiry_refresh_once_and_revoke_nothing()
    {
        using var client = NewClient();
        var guest = await client.Auth.CreateAnonymousAsync(cancellationToken: Ct);
        _clock.Advance(TimeSpan.FromSeconds(121));

        var results = await Task.WhenAll(Enumerable.Range(0, 100).Select(_ => client.Auth.GetSessionAsync(cancellationToken: Ct)));

        Assert.All(results, r => Assert.Equal(guest.User.Id, r.User?.Id));
        var stats = _emulator.GetStatistics();
        Assert.Equal(1, stats.RefreshRequests);
        Assert.Equal(0, stats.RefreshTokenReuses);
        Assert.Equal(0, stats.SessionsRevoked);
        Assert.NotEqual(guest.RefreshToken, client.Auth.CurrentSession?.RefreshToken);
    }

    [Fact]
    public async Task A_token_inside_the_refresh_skew_is_refreshed_before_the_call()
    {
        using var client = NewClient();
        var guest = await client.Auth.CreateAnonymousAsync(cancellationToken: Ct);
        _clock.Advance(TimeSpan.FromSeconds(70)); // 50 s left: inside the default 60 s skew, still valid

        await client.Auth.GetSessionAsync(cancellationToken: Ct);

        Assert.Equal(1, _emulator.GetStatistics().RefreshRequests);
        Assert.NotEqual(guest.Token, client.Auth.CurrentSession?.Token);
    }

    [Fact]
    public async Task A_copied_session_refreshed_twice_is_revoked_and_both_holders_are_signed_out()
    {
        using var client = NewClient();
        var guest = await client.Auth.CreateAnonymousAsync(cancellationToken: Ct);
        var copy = client.WithSession(guest); // the same refresh token in two places: what single-flight prevents within one session
        var rejected = new List<SessionChangeReason>();
        copy.Auth.SessionChanged += (_, e) => rejected.Add(e.Reason);

        await client.Auth.RefreshAsync(Ct);
        var ex = await Assert.ThrowsAsync<MudbaseAuthenticationException>(() => copy.Auth.RefreshAsync(Ct));

        Assert.Contains("invalidated", ex.Message, StringComparison.OrdinalIgnoreCase);
        Assert.Equal([SessionChangeReason.RefreshRejected], rejected);
        Assert.Null(copy.Auth.CurrentSession);
        Assert.Equal(1, _emulator.GetStatistics().RefreshTokenReuses);
        // The server revoked the whole session: the first holder's next call is refused, its refresh too, and it signs out.
        await Assert.ThrowsAsync<MudbaseAuthenticationException>(() => client.Auth.GetSessionAsync(cancellationToken: Ct));
        Assert.Null(client.Auth.CurrentSession);
    }
}
