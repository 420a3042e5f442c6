using System.Net;
using Mudbase.Auth;
using Mudbase.Emulator;
using Mudbase.Tests.Support;
using Mudbase.Users;
using OtpNet;

namespace Mudbase.Tests.Integration;

/// <summary><c>client.Users</c> end to end against the emulator: every call, real TOTP codes, and what the server's session changes do to clients.</summary>
public sealed class UsersFlowTests(EmulatorFixture fixture) : IClassFixture<EmulatorFixture>
{
    private const string Password = "Sup3r-secret-pw";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private MudbaseEmulator Emulator => fixture.Emulator;

    /// <summary>A client of the no-verification project, signed in as a new user.</summary>
    private async Task<(MudbaseClient Client, string Email)> SignedUpAsync()
    {
        var email = EmulatorFixture.NewEmail("ada");
        var client = fixture.CreateClient(Emulator.NoVerificationProjectId);
        await client.Auth.RegisterAsync(new RegisterRequest { Email = email, Password = Password, FirstName = "Ada", LastName = "Lovelace" }, Ct);
        return (client, email);
    }

    private async Task<MudbaseClient> SignedInAsync(string email, string password = Password)
    {
        var client = fixture.CreateClient(Emulator.NoVerificationProjectId);
        await client.Auth.LoginAsync(new LoginRequest { Email = email, Password = password }, Ct);
        return client;
    }

    private static string Code(string secret, int stepsAhead = 0) =>
        new Totp(Base32Encoding.ToBytes(secret)).ComputeTotp(DateTime.UtcNow.AddSeconds(30 * stepsAhead));

    [Fact]
    public async Task Me_and_a_profile_update_read_back_what_the_server_holds()
    {
        var (client, email) = await SignedUpAsync();
        using var _ = client;

        var me = await client.Users.GetMeAsync(Ct);
        var updated = await client.Users.UpdateProfileAsync(new UpdateProfileRequest { FirstName = "Augusta", Avatar = "https://cdn.northwind.dev/ada.png" }, Ct);
        var again = await client.Users.GetMeAsync(Ct);

        Assert.Equal(client.Auth.CurrentSession!.User.Id, me.Id);
        Assert.Equal(email, me.Email);
        Assert.Equal("viewer", me.Role);
        Assert.False(me.TwoFactorEnabled);
        Assert.Equal("Augusta", updated.FirstName);
        Assert.Equal("Lovelace", updated.LastName);
        Assert.Equal("https://cdn.northwind.dev/ada.png", again.Avatar);
        Assert.Equal("Augusta Lovelace", again.FullName);
    }

    [Fact]
    public async Task Two_factor_is_set_up_verified_with_a_computed_code_and_disabled()
    {
        var (client, _) = await SignedUpAsync();
        using var __ = client;

        var setup = await client.Users.SetUpTwoFactorAsync(Ct);
        var wrong = await Errors.ExpectAsync<MudbaseValidationException>(() => client.Users.VerifyTwoFactorAsync("000000" == Code(setup.Secret) ? "111111" : "000000", Ct));
        await client.Users.VerifyTwoFactorAsync(Code(setup.Secret), Ct);
        var on = await client.Users.GetMeAsync(Ct);
        // A code is good once: disabling takes the next one, which the server's one step of drift accepts.
        await Errors.ExpectAsync<MudbaseValidationException>(() => client.Users.DisableTwoFactorAsync("not-the-password", Code(setup.Secret, 1), Ct));
        await client.Users.DisableTwoFactorAsync(Password, Code(setup.Secret, 1), Ct);
        var off = await client.Users.GetMeAsync(Ct);

        Assert.Matches("^[A-Z2-7]+=*$", setup.Secret);
        Assert.Equal(setup.Secret, setup.ManualEntryKey);
        Assert.StartsWith("data:image/png;base64,", setup.QrCode, StringComparison.Ordinal);
        Assert.DoesNotContain(setup.Secret, setup.ToString(), StringComparison.Ordinal);
        Assert.Contains("Invalid 2FA token", wrong.Message, StringComparison.Ordinal);
        Assert.True(on.TwoFactorEnabled);
        Assert.False(off.TwoFactorEnabled);
    }

    [Fact]
    public async Task A_password_change_keeps_this_session_and_signs_other_devices_out()
    {
        var (phone, email) = await SignedUpAsync();
        using var _ = phone;
        using var laptop = await SignedInAsync(email);
        var laptopChanges = new List<SessionChangeReason>();
        laptop.Auth.SessionChanged += (_, e) => laptopChanges.Add(e.Reason);

        await phone.Users.ChangePasswordAsync(Password, "N3w-secret-pw", Ct);

        Assert.Equal(email, (await phone.Users.GetMeAsync(Ct)).Email);
        await Assert.ThrowsAsync<MudbaseAuthenticationException>(() => laptop.Users.GetMeAsync(Ct));
        Assert.Null(laptop.Auth.CurrentSession);
        Assert.Equal([SessionChangeReason.RefreshRejected], laptopChanges);
        await Assert.ThrowsAsync<MudbaseAuthenticationException>(() => SignedInAsync(email));
        using var withNew = await SignedInAsync(email, "N3w-secret-pw");
        Assert.NotNull(withNew.Auth.CurrentSession);
    }

    [Fact]
    public async Task A_wrong_current_password_changes_nothing_and_keeps_the_session()
    {
        var (client, email) = await SignedUpAsync();
        using var _ = client;

        var ex = await Errors.ExpectAsync<MudbaseValidationException>(() => client.Users.ChangePasswordAsync("wrong-password", "N3w-secret-pw", Ct));

        Assert.Contains("Current password is incorrect", ex.Message, StringComparison.Ordinal);
        Assert.NotNull(client.Auth.CurrentSession);
        using var again = await SignedInAsync(email);
        Assert.NotNull(again.Auth.CurrentSession);
    }

    [Fact]
    public async Task Erasing_the_account_revokes_every_session_and_signs_this_client_out()
    {
        var (client, email) = await SignedUpAsync();
        using var _ = client;
        using var other = await SignedInAsync(email);
        var changes = new List<SessionChangedEventArgs>();
        client.Auth.SessionChanged += (_, e) => changes.Add(e);

        var refused = await Errors.ExpectAsync<MudbaseValidationException>(() =>
            client.Users.EraseAccountAsync(new EraseAccountRequest { Confirm = EraseAccountRequest.ConfirmationText, CurrentPassword = "wrong-password" }, Ct));
        Assert.NotNull(client.Auth.CurrentSession);
        var result = await client.Users.EraseAccountAsync(new EraseAccountRequest { Confirm = "DELETE", CurrentPassword = Password }, Ct);

        Assert.Contains("Current password is incorrect", refused.Message, StringComparison.Ordinal);
        Assert.Equal(2, result.SessionsRevoked);
        Assert.True(result.Anonymized);
        Assert.Null(client.Auth.CurrentSession);
        var change = Assert.Single(changes);
        Assert.Equal(SessionChangeReason.SignedOut, change.Reason);
        await Assert.ThrowsAsync<MudbaseAuthenticationException>(() => other.Users.GetMeAsync(Ct));
        await Assert.ThrowsAsync<MudbaseAuthenticationException>(() => SignedInAsync(email));
    }

    [Fact]
    public async Task Erasing_an_account_with_two_factor_needs_a_current_code()
    {
        var (client, _) = await SignedUpAsync();
        using var __ = client;
        var setup = await client.Users.SetUpTwoFactorAsync(Ct);
        await client.Users.VerifyTwoFactorAsync(Code(setup.Secret), Ct);

        var ex = await Errors.ExpectAsync<MudbaseValidationException>(() =>
            client.Users.EraseAccountAsync(new EraseAccountRequest { Confirm = "DELETE", CurrentPassword = Password }, Ct));
        var result = await client.Users.EraseAccountAsync(new EraseAccountRequest { Confirm = "DELETE", CurrentPassword = Password, TwoFactorCode = Code(setup.Secret, 1) }, Ct);

        Assert.Contains("2FA token is required", ex.Message, StringComparison.Ordinal);
        Assert.Equal(1, result.SessionsRevoked);
    }

    [Fact]
    public async Task Resending_verification_mails_an_unverified_user_and_refuses_a_verified_one()
    {
        using var guest = fixture.CreateClient();
        await guest.Auth.CreateAnonymousAsync(cancellationToken: Ct);
        var email = EmulatorFixture.NewEmail("grace");
        await guest.Auth.ConvertAnonymousAsync(new ConvertAnonymousRequest { Email = email, Password = Password }, Ct);
        var (verified, _) = await SignedUpAsync();
        using var _ = verified;

        await guest.Users.ResendVerificationAsync(Ct);
        var ex = await Errors.ExpectAsync<MudbaseValidationException>(() => verified.Users.ResendVerificationAsync(Ct));

        Assert.Equal(2, Emulator.GetOutbox(email).Count(m => m.Kind == EmulatorOutboxKinds.VerifyEmail));
        Assert.Contains("Email already verified", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_export_holds_the_user_and_their_project()
    {
        var (client, email) = await SignedUpAsync();
        using var _ = client;

        var export = await client.Users.ExportDataAsync(Ct);

        Assert.Equal(email, (string?)export["user"]?["email"]);
        Assert.Equal(Emulator.NoVerificationProjectId, (string?)export["projects"]?[0]?["_id"]);
        Assert.NotNull((string?)export["exportedAt"]);
    }

    [Fact]
    public async Task A_provider_linked_through_the_built_url_is_listed_then_unlinked()
    {
        var (client, email) = await SignedUpAsync();
        using var _ = client;
        var url = client.Users.GetLinkProviderUrl("github", new Uri("https://app.northwind.dev/linked"));
        using var browser = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false });
        using var navigation = new HttpRequestMessage(HttpMethod.Get, url);
        navigation.Headers.Authorization = new("Bearer", client.Auth.CurrentSession!.Token);

        using var answer = await browser.SendAsync(navigation, Ct);
        var linked = await client.Users.GetLinkedProvidersAsync(Ct);
        await client.Users.UnlinkProviderAsync("github", Ct);
        var after = await client.Users.GetLinkedProvidersAsync(Ct);

        Assert.Equal(HttpStatusCode.Redirect, answer.StatusCode);
        Assert.Equal("https://app.northwind.dev/linked?linked=github", answer.Headers.Location?.ToString());
        var provider = Assert.Single(linked);
        Assert.Equal(("github", email), (provider.Provider, provider.Email));
        Assert.NotNull(provider.LinkedAt);
        Assert.Empty(after);
        await Assert.ThrowsAsync<MudbaseNotFoundException>(() => client.Users.UnlinkProviderAsync("github", Ct));
    }

    [Fact]
    public async Task Without_a_session_every_call_fails_as_unauthenticated()
    {
        using var client = fixture.CreateClient();

        var calls = new Func<Task>[]
        {
            () => client.Users.GetMeAsync(Ct),
            () => client.Users.SetUpTwoFactorAsync(Ct),
            () => client.Users.ExportDataAsync(Ct),
            () => client.Users.GetLinkedProvidersAsync(Ct),
            () => client.Users.ResendVerificationAsync(Ct),
        };

        foreach (var call in calls)
        {
            await Assert.ThrowsAsync<MudbaseAuthenticationException>(call);
        }
    }
}
